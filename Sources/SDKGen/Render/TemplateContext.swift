/// What a template reads: dictionaries of plain values (strings, bools, numbers, arrays of
/// contexts), the form the Mustache engine (`Render/Mustache`) reads fastest. Every context of every template is
/// built in `Render/` from the typed model, by the builders below and in `ModelContexts`,
/// `ClientContext` and `CatalogContext`; `Templates/README.md` lists their keys.
///
/// Rules every builder keeps, so that a user's template can rely on them:
/// - Names are rendered (`SwiftName.rendered`: backticks on keywords), texts from the document
///   are string-literal bodies (`Naming.stringLiteralBody`), doc lines are ready to follow `///`.
/// - A key that may be absent is present as `false` (never missing), so that a section never
///   finds the key in an outer context.
/// - Lists are arrays of contexts; where a template needs separators, each item has `last`.
public typealias TemplateContext = [String: Any]

enum ContextValue {
    /// An optional value as a Mustache section: the value, or `false`.
    static func optional(_ value: Any?) -> Any { value ?? false }

    /// Numbers joined for a Swift array literal's body (`400, 404`).
    static func list(_ numbers: [Int]) -> String { numbers.map(String.init).joined(separator: ", ") }

    /// Items with `last` set on the final one.
    static func withLast(_ items: [TemplateContext]) -> [TemplateContext] {
        items.enumerated().map { index, item in
            var item = item
            item["last"] = index == items.count - 1
            return item
        }
    }
}

extension TypeRef {
    /// The `typeRef` partial's context: exactly one of `named` (the type's name), `array` (the
    /// element's context) and `dictionary` (the value's context) is set, the others are `false`.
    var context: TemplateContext {
        switch self {
        case let .builtin(builtin): return ["named": builtin.rawValue, "array": false, "dictionary": false]
        case let .declared(name): return ["named": name.rendered, "array": false, "dictionary": false]
        case let .custom(text): return ["named": text, "array": false, "dictionary": false]
        case let .array(element): return ["named": false, "array": element.context, "dictionary": false]
        case let .dictionary(value): return ["named": false, "array": false, "dictionary": value.context]
        }
    }
}

/// The keys every file template gets at its top: `module`, `spec` (the document's file name) and
/// `title` (`info.title`), the last two escaped for a `//` comment.
enum HeaderContext {
    static func make(module: String, specFileName: String, title: String) -> TemplateContext {
        ["module": module, "spec": Naming.lineComment(specFileName), "title": Naming.lineComment(title)]
    }
}
