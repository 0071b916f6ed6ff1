import Foundation

/// The front end's entry point: a spec file in, a resolved document and its diagnostics out.
public enum DocumentLoader {
    public struct Result: Sendable {
        /// Nil when the document could not be read at all (the diagnostics say why).
        public var document: OpenAPIDocument?
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Reads the file at `path` (and any file its `$ref`s point into, relative to it).
    public static func load(path: String, limits: YAMLParser.Limits = .init()) -> Result {
        load(path: path, bytes: nil, limits: limits, readFile: readBytes)
    }

    /// Reads a document from memory; `readFile` supplies files that relative `$ref`s point into.
    public static func load(path: String, bytes: [UInt8]?, limits: YAMLParser.Limits = .init(),
                            readFile: @escaping (String) -> [UInt8]? = readBytes) -> Result {
        let reader = DocumentReader(limits: limits, readFile: readFile)
        guard let file = reader.loadFile(path, bytes: bytes), let root = reader.files[Int(file)].tree.root else {
            return Result(document: nil, diagnostics: reader.diagnostics.all)
        }
        let document = reader.readDocument(root: NodeRef(file: file, node: root))
        return Result(document: document, diagnostics: reader.diagnostics.all)
    }

    public static func readBytes(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }
}
