@testable import SDKGen
import XCTest

/// The generator's Mustache engine (`Render/Mustache/`) on the constructs templates use, with the
/// results the Mustache spec (and swift-mustache 2.x, which the goldens were written with) gives;
/// the goldens then check it on whole files.
final class MustacheTests: XCTestCase {
    private func render(_ template: String, _ context: Any, partials: [String: String] = [:]) throws -> String {
        var library = MustacheLibrary()
        try library.register(template, named: "main")
        for (name, text) in partials { try library.register(text, named: name) }
        return try XCTUnwrap(library.render(try Self.value(context), withTemplate: "main"))
    }

    /// A context written as Foundation values (dictionaries, arrays, strings, Bools, Ints), as a
    /// `TemplateValue` (keys interned as templates intern them).
    private static func value(_ plain: Any) throws -> TemplateValue {
        switch plain {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(number)
        case let dictionary as [String: Any]:
            var object = TemplateObject()
            for (key, item) in dictionary { object[TemplateKey(key)] = try Self.value(item) }
            return .object(object)
        case let items as [Any]: return .list(try items.map(Self.value))
        default: throw TemplateRenderer.RenderError(description: "not a context value: \(plain)")
        }
    }

    func testInterpolation_TripleBracesAndAmpersandAreVerbatim_DoubleBracesEscapeHTML() throws {
        let context: [String: Any] = ["x": "<a & 'b' \"c\">"]
        XCTAssertEqual(try render("{{{x}}}|{{&x}}|{{x}}", context), "<a & 'b' \"c\">|<a & 'b' \"c\">|&lt;a &amp; &#39;b&#39; &quot;c&quot;&gt;")
        XCTAssertEqual(try render("[{{missing}}]", context), "[]")
        XCTAssertEqual(try render("{{{ x }}}", ["x": "spaced"]), "spaced")
        XCTAssertEqual(try render("{{n}} {{b}}", ["n": 42, "b": true] as [String: Any]), "42 true")
    }

    func testNames_DottedNamesAndOuterContexts() throws {
        let context: [String: Any] = ["a": ["b": ["c": "deep"]], "outer": "o", "items": [["name": "i1"], ["name": "i2"]]]
        XCTAssertEqual(try render("{{{a.b.c}}}", context), "deep")
        XCTAssertEqual(try render("{{#items}}{{{name}}}:{{{outer}}} {{/items}}", context), "i1:o i2:o ")
        // `.name` looks in the current item only.
        XCTAssertEqual(try render("{{#items}}[{{{.outer}}}]{{/items}}", context), "[][]")
        XCTAssertEqual(try render("{{#list}}({{{.}}}){{/list}}", ["list": ["x", "y"]]), "(x)(y)")
    }

    func testSections_ListsBoolsValuesAndInverted() throws {
        let context: [String: Any] = ["yes": true, "no": false, "empty": [String](), "value": ["k": "v"], "text": "t"]
        XCTAssertEqual(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#empty}}E{{/empty}}{{#missing}}M{{/missing}}", context), "Y")
        XCTAssertEqual(try render("{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^empty}}E{{/empty}}{{^missing}}M{{/missing}}", context), "NEM")
        XCTAssertEqual(try render("{{#value}}{{{k}}}{{/value}}", context), "v")
        // A string is a value like any other (swift-mustache pushes it; the spec leaves it to the language).
        XCTAssertEqual(try render("{{#text}}<{{{.}}}>{{/text}}{{^text}}none{{/text}}", context), "<t>")
    }

    func testStandaloneLines_AreRemoved_InlineTagsKeepTheirLine() throws {
        let template = "begin\n  {{#items}}\n  - {{{.}}}\n  {{/items}}\n{{! a comment }}\nend {{#no}}x{{/no}}\n"
        XCTAssertEqual(try render(template, ["items": ["a", "b"], "no": false] as [String: Any]), "begin\n  - a\n  - b\nend \n")
        XCTAssertEqual(try render("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", ["t": true]), "a\r\nb\r\nc")
    }

    func testPartials_StandaloneOnesIndentEveryLine() throws {
        let partials = ["lines": "one\ntwo\n", "inline": "<{{{x}}}>"]
        XCTAssertEqual(try render("start\n    {{> lines}}\nend\n", [String: Any](), partials: partials), "start\n    one\n    two\nend\n")
        XCTAssertEqual(try render("a {{> inline}} b", ["x": "X"], partials: partials), "a <X> b")
        XCTAssertEqual(try render("[{{> unknown}}]", [String: Any](), partials: partials), "[]")
        // Recursion through a partial, as `typeRef` does for nested arrays.
        let tree: [String: Any] = ["named": false, "array": ["named": false, "array": ["named": "Leaf", "array": false]]]
        let typeRef = ["typeRef": "{{#named}}{{{.}}}{{/named}}{{#array}}[{{> typeRef}}]{{/array}}"]
        XCTAssertEqual(try render("{{> typeRef}}", tree, partials: typeRef), "[[Leaf]]")
    }

    func testTypedContexts_KeysAreInternedAndSetReplaces() throws {
        XCTAssertEqual(TemplateKey("someKey"), TemplateKey("someKey"))
        XCTAssertEqual(TemplateKey("someKey").text, "someKey")
        var object: TemplateObject = [.name: "a", .doc: .strings(["line"])]
        object[.name] = "b"
        object[.last] = true
        object[.doc] = nil
        XCTAssertEqual(object.jsonObject as NSDictionary, ["name": "b", "last": true] as NSDictionary)
        var library = MustacheLibrary()
        try library.register("{{{name}}}{{{unknownToTheContexts}}}{{#last}}!{{/last}}[{{{list}}}]", named: "main")
        // A list or object interpolates as nothing; a name no context has finds nothing.
        let context: TemplateObject = [.name: "b", .last: true, TemplateKey("list"): .strings(["x"])]
        XCTAssertEqual(library.render(.object(context), withTemplate: "main"), "b![]")
        XCTAssertNil(library.render(.object(context), withTemplate: "missing"))
        // A tag remembers where it found its key; items of other layouts (or without the key,
        // found further out) are still looked up right.
        try library.register("{{#items}}{{{name}}}{{/items}}", named: "items")
        let items: TemplateObject = [TemplateKey("items"): .objects([[.name: "a", .last: false], [.last: true, .name: "b"], [.last: true], [.name: "c"]]),
                                     .name: "outer"]
        XCTAssertEqual(library.render(.object(items), withTemplate: "items"), "abouterc")
    }

    func testSetDelimiters() throws {
        XCTAssertEqual(try render("{{=<% %>=}}\n<% x %> {{x}}", ["x": "v"]), "v {{x}}")
    }

    func testMalformedTemplates_AreErrorsWithTheirPlace() {
        func message(_ template: String) -> String {
            do {
                _ = try MustacheTemplate(template)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("a\n{{#open}}x"), "line 2, column 11: '{{#open}}' is not closed")
        XCTAssertEqual(message("{{#a}}{{/b}}"), "line 1, column 7: '{{/b}}' closes no open section; '{{#a}}' is open")
        XCTAssertEqual(message("x {{name"), "line 1, column 3: the tag 'name' is not closed with '}}'")
        XCTAssertEqual(message("{{lowercased(name)}}"), "line 1, column 1: transforms ('name(...)') are not supported")
        XCTAssertEqual(message("{{$block}}{{/block}}"), "line 1, column 1: '$' tags (swift-mustache blocks, parents and pragmas) are not supported")
    }
}
