import OpenAPIDocument

extension GeneratorConfig {
    /// Where the config key or value `pointer` (`/filter/tags/0`) is written, for a diagnostic
    /// about it; a config made in code has no file and is reported as `<config>:1:1`.
    public func sourceLocation(of pointer: String) -> SourceLocation {
        guard let origin else { return SourceLocation(file: "<config>", line: 1, column: 1) }
        let position = origin.position(of: pointer)
        return SourceLocation(file: origin.file, line: position.line, column: position.column)
    }
}

extension GeneratorConfig.ConfigError {
    /// The error as the diagnostics of the other stages are printed.
    public var diagnostic: Diagnostic {
        Diagnostic(.error, message, at: SourceLocation(file: file, line: line, column: column))
    }
}
