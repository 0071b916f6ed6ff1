import XCTest
@testable import OpenAPIDocument

/// Stage 1: bytes -> located YAML nodes, read under the YAML 1.2 core schema.
final class YAMLParserTests: XCTestCase {
    private func parsed(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (YAMLTree, YAMLNodeID) {
        let result = parseYAML(text)
        assertNoDiagnostics(result.diagnostics, sourceFile: file, sourceLine: line)
        XCTAssertTrue(result.complete, file: file, line: line)
        let root = try XCTUnwrap(result.tree.root, file: file, line: line)
        return (result.tree, root)
    }

    /// Tag and text of the scalar under a top-level key.
    private func scalar(_ tree: YAMLTree, _ key: String) -> (ScalarTag?, String?) {
        guard let node = tree.node(key) else { return (nil, nil) }
        return (tree.scalarTag(node), tree.scalar(node))
    }

    func testMappingOrderIsKeptAsWritten() throws {
        let (tree, root) = try parsed("zebra: 1\napple: 2\nmango: 3\nbanana: 4\n")
        XCTAssertEqual(tree.pairs(root).map { tree.scalar($0.key) }, ["zebra", "apple", "mango", "banana"])
        XCTAssertEqual(tree.count(root), 4)
        guard case let .object(entries) = tree.value(root) else { return XCTFail("root is not an object") }
        XCTAssertEqual(entries.map(\.0), ["zebra", "apple", "mango", "banana"])
    }

    func testLinesAndColumnsAreOneBased() throws {
        let text = """
        top:
          list:
            - first
            -   second
          "quoted key": {inner: [1, 22]}
        """
        let (tree, root) = try parsed(text)
        XCTAssertEqual(tree.line(root), 1)
        XCTAssertEqual(tree.column(root), 1)
        let topKey = try XCTUnwrap(tree.keyNode(root, "top"))
        XCTAssertEqual([tree.line(topKey), tree.column(topKey)], [1, 1])
        let list = try XCTUnwrap(tree.node("top", "list"))
        XCTAssertEqual([tree.line(list), tree.column(list)], [3, 5])
        let second = try XCTUnwrap(tree.node("top", "list", "1"))
        XCTAssertEqual(tree.scalar(second), "second")
        XCTAssertEqual([tree.line(second), tree.column(second)], [4, 9])
        let quotedKey = try XCTUnwrap(tree.keyNode(try XCTUnwrap(tree.node("top")), "quoted key"))
        XCTAssertEqual([tree.line(quotedKey), tree.column(quotedKey)], [5, 3])
        let flow = try XCTUnwrap(tree.node("top", "quoted key"))
        XCTAssertEqual([tree.line(flow), tree.column(flow)], [5, 17])
        let twentyTwo = try XCTUnwrap(tree.node("top", "quoted key", "inner", "1"))
        XCTAssertEqual(tree.scalar(twentyTwo), "22")
        XCTAssertEqual([tree.line(twentyTwo), tree.column(twentyTwo)], [5, 29])
    }

    func testColumnsCountCharactersNotBytes() throws {
        // "é" is two bytes in UTF-8 but one column.
        let (tree, _) = try parsed("café: {x: 1}\n")
        let one = try XCTUnwrap(tree.node("café", "x"))
        XCTAssertEqual([tree.line(one), tree.column(one)], [1, 11])
        let x = try XCTUnwrap(tree.keyNode(try XCTUnwrap(tree.node("café")), "x"))
        XCTAssertEqual([tree.line(x), tree.column(x)], [1, 8])
    }

    func testScalarStyles() throws {
        let text = """
        plain: hello
        single: 'hello'
        double: "hello"
        literal: |
          hello
        folded: >
          hello
        """
        let (tree, _) = try parsed(text)
        let expected: [(String, ScalarStyle)] = [("plain", .plain), ("single", .singleQuoted), ("double", .doubleQuoted),
                                                 ("literal", .literal), ("folded", .folded)]
        for (key, style) in expected {
            let node = try XCTUnwrap(tree.node(key))
            XCTAssertEqual(tree.scalarStyle(node), style, key)
            XCTAssertEqual(tree.scalarTag(node), .string, key)
            XCTAssertEqual(tree.scalar(node)?.trimmingCharacters(in: .newlines), "hello", key)
        }
        XCTAssertNil(tree.scalarStyle(try XCTUnwrap(tree.root)), "a mapping has no scalar style")
    }

    func testYAML11BooleanWordsAreStringsUnderTheCoreSchema() throws {
        let (tree, _) = try parsed("a: NO\nb: yes\nc: on\nd: off\ne: y\nf: n\ng: Yes\nh: OFF\n")
        for (key, text) in [("a", "NO"), ("b", "yes"), ("c", "on"), ("d", "off"), ("e", "y"), ("f", "n"), ("g", "Yes"), ("h", "OFF")] {
            let (tag, value) = scalar(tree, key)
            XCTAssertEqual(tag, .string, "\(key): \(text)")
            XCTAssertEqual(value, text)
        }
    }

    func testBooleansAndNulls() throws {
        let text = "t1: true\nt2: True\nt3: TRUE\nf1: false\nf2: FALSE\nn1: ~\nn2: null\nn3: NULL\nn4:\nq1: 'null'\nq2: \"true\"\nq3: ''\n"
        let (tree, root) = try parsed(text)
        for key in ["t1", "t2", "t3", "f1", "f2"] { XCTAssertEqual(scalar(tree, key).0, .bool, key) }
        for key in ["n1", "n2", "n3", "n4"] { XCTAssertEqual(scalar(tree, key).0, .null, key) }
        for key in ["q1", "q2", "q3"] { XCTAssertEqual(scalar(tree, key).0, .string, key) }
        XCTAssertEqual(scalar(tree, "n4").1, "")
        guard case let .object(entries) = tree.value(root) else { return XCTFail() }
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.0, $0.1) })
        XCTAssertEqual(values["t2"], .bool(true))
        XCTAssertEqual(values["f2"], .bool(false))
        XCTAssertEqual(values["n1"], .null)
        XCTAssertEqual(values["n4"], .null)
        XCTAssertEqual(values["q1"], .string("null"))
        XCTAssertEqual(values["q3"], .string(""))
    }

    func testNumbersUnderTheCoreSchema() throws {
        let text = """
        float: 1.0
        quotedFloat: "1.0"
        hex: 0x1F
        octal: 0o17
        negative: -12
        positive: +12
        leadingZero: 012
        inf: .inf
        negInf: -.Inf
        nan: .nan
        exp: 1e5
        negExp: 2.5E-3
        dot: .5
        trailingDot: 5.
        notHex: 0x1G
        notOctal: 0o18
        yaml11Binary: 0b101
        yaml11Sexagesimal: 1:30
        underscores: 1_000
        bareExp: 1e
        version: 1.2.3
        """
        let (tree, _) = try parsed(text)
        let expected: [(String, ScalarTag)] = [
            ("float", .float), ("quotedFloat", .string), ("hex", .int), ("octal", .int), ("negative", .int),
            ("positive", .int), ("leadingZero", .int), ("inf", .float), ("negInf", .float), ("nan", .float),
            ("exp", .float), ("negExp", .float), ("dot", .float), ("trailingDot", .float), ("notHex", .string),
            ("notOctal", .string), ("yaml11Binary", .string), ("yaml11Sexagesimal", .string), ("underscores", .string),
            ("bareExp", .string), ("version", .string),
        ]
        for (key, tag) in expected { XCTAssertEqual(scalar(tree, key).0, tag, key) }
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("hex"))), .integer("0x1F"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("float"))), .number("1.0"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("quotedFloat"))), .string("1.0"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("nan"))), .number(".nan"))
    }

    func testNumberTextIsKeptExactly() throws {
        let (tree, _) = try parsed("price: 135.85\nbig: 12345678901234567890123\nzeros: 1.10\nsmall: 0.000001\nexp: 6.02e23\n")
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("price"))), .number("135.85"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("big"))), .integer("12345678901234567890123"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("zeros"))), .number("1.10"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("small"))), .number("0.000001"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("exp"))), .number("6.02e23"))
    }

    func testExplicitTagsOverrideTheCoreSchema() throws {
        let (tree, _) = try parsed("a: !!str 1\nb: !!str true\nc: !!int \"7\"\nd: !!float 1\ne: ! 12\nf: !!null ''\ng: !!bool 'true'\n")
        XCTAssertEqual(scalar(tree, "a").0, .string)
        XCTAssertEqual(scalar(tree, "a").1, "1")
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("a"))), .string("1"))
        XCTAssertEqual(scalar(tree, "b").0, .string)
        XCTAssertEqual(scalar(tree, "c").0, .int)
        XCTAssertEqual(scalar(tree, "d").0, .float)
        XCTAssertEqual(scalar(tree, "e").0, .string, "the non-specific tag '!' makes a string")
        XCTAssertEqual(scalar(tree, "f").0, .null)
        XCTAssertEqual(scalar(tree, "g").0, .bool)
    }

    func testJSONInputGivesTheSameTreeAsYAML() throws {
        let yaml = """
        openapi: 3.1.0
        info:
          title: Demo
          version: '1'
        list:
          - 1
          - 1.5
          - true
          - null
          - text
          - {a: 16}
        empty: {}
        none: []
        """
        let json = """
        {
          "openapi": "3.1.0",
          "info": {"title": "Demo", "version": "1"},
          "list": [1, 1.5, true, null, "text", {"a": 16}],
          "empty": {},
          "none": []
        }
        """
        let (yamlTree, yamlRoot) = try parsed(yaml)
        let (jsonTree, jsonRoot) = try parsed(json)
        XCTAssertEqual(yamlTree.value(yamlRoot), jsonTree.value(jsonRoot))
        XCTAssertEqual(yamlTree.nodeCount, jsonTree.nodeCount)
        let yamlList = try XCTUnwrap(yamlTree.node("list")), jsonList = try XCTUnwrap(jsonTree.node("list"))
        XCTAssertEqual(yamlTree.items(yamlList).map { yamlTree.scalarTag($0) }, jsonTree.items(jsonList).map { jsonTree.scalarTag($0) })
        XCTAssertEqual(jsonTree.items(jsonList).prefix(5).map { jsonTree.scalarTag($0) }, [.int, .float, .bool, .null, .string])
        XCTAssertEqual(jsonTree.scalarTag(try XCTUnwrap(jsonTree.node("openapi"))), .string)
        XCTAssertEqual(jsonTree.scalarStyle(try XCTUnwrap(jsonTree.node("openapi"))), .doubleQuoted)
        XCTAssertEqual(jsonTree.kind(try XCTUnwrap(jsonTree.node("empty"))), .mapping)
        XCTAssertEqual(jsonTree.kind(try XCTUnwrap(jsonTree.node("none"))), .sequence)
        // JSON nodes are located too.
        let title = try XCTUnwrap(jsonTree.node("info", "title"))
        XCTAssertEqual([jsonTree.line(title), jsonTree.column(title)], [3, 21])
    }

    func testAnchorsAndAliasesShareTheAnchoredNode() throws {
        let text = """
        base: &base
          type: string
          maxLength: 10
        copy: *base
        scalar: &word hello
        again: *word
        list: [*word, *base]
        """
        let (tree, _) = try parsed(text)
        let base = try XCTUnwrap(tree.node("base"))
        XCTAssertEqual(tree.node("copy"), base, "an alias is the anchored node itself")
        XCTAssertEqual(tree.node("list", "1"), base)
        XCTAssertEqual(tree.node("again"), tree.node("scalar"))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("copy"))), .object([("type", .string("string")), ("maxLength", .integer("10"))]))
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("list"))),
                       .array([.string("hello"), .object([("type", .string("string")), ("maxLength", .integer("10"))])]))
        // The shared node keeps the location (and pointer) of where it was written.
        XCTAssertEqual(tree.line(try XCTUnwrap(tree.node("copy", "maxLength"))), 3)
        XCTAssertEqual(tree.pointer(try XCTUnwrap(tree.node("copy", "maxLength"))), "/base/maxLength")
    }

    func testMergeKeyWithOneMappingExplicitKeysWin() throws {
        let text = """
        defaults: &defaults
          timeout: 30
          retries: 3
        service:
          name: api
          <<: *defaults
          retries: 5
        """
        let (tree, _) = try parsed(text)
        let service = try XCTUnwrap(tree.node("service"))
        XCTAssertEqual(tree.value(service), .object([("name", .string("api")), ("retries", .integer("5")), ("timeout", .integer("30"))]))
        XCTAssertNil(tree.value(service, forKey: "<<"), "the merge key itself is not kept")
        XCTAssertEqual(tree.count(service), 3)
    }

    func testMergeKeyWithASequenceEarlierMappingsWin() throws {
        let text = """
        a: &a {x: 1, y: 1}
        b: &b {y: 2, z: 2}
        c:
          <<: [*a, *b]
          z: 3
          w: 4
        """
        let (tree, _) = try parsed(text)
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("c"))),
                       .object([("z", .integer("3")), ("w", .integer("4")), ("x", .integer("1")), ("y", .integer("1"))]))
        // The sources are unchanged.
        XCTAssertEqual(tree.value(try XCTUnwrap(tree.node("b"))), .object([("y", .integer("2")), ("z", .integer("2"))]))
    }

    func testQuotedMergeKeyIsAnOrdinaryKey() throws {
        let (tree, _) = try parsed("m: {'<<': {a: 1}, b: 2}\n")
        let m = try XCTUnwrap(tree.node("m"))
        XCTAssertEqual(tree.pairs(m).map { tree.scalar($0.key) }, ["<<", "b"])
    }

    func testMergeKeyWithAScalarIsAnError() {
        let result = parseYAML("c:\n  <<: 5\n  z: 3\n")
        assertDiagnostic(result.diagnostics, "a merge key '<<' takes a mapping or a sequence of mappings", line: 2, column: 7)
        XCTAssertEqual(result.tree.value(result.tree.node("c")!), .object([("z", .integer("3"))]))
    }

    func testJSONPointerOfNodes() throws {
        let text = """
        paths:
          /pets/{id}:
            get:
              parameters:
                - name: id
                - name: limit
        components:
          schemas:
            a~b: {type: string}
        """
        let (tree, root) = try parsed(text)
        XCTAssertEqual(tree.pointer(root), "")
        let limit = try XCTUnwrap(tree.node("paths", "/pets/{id}", "get", "parameters", "1", "name"))
        XCTAssertEqual(tree.pointer(limit), "/paths/~1pets~1{id}/get/parameters/1/name")
        let type = try XCTUnwrap(tree.node("components", "schemas", "a~b", "type"))
        XCTAssertEqual(tree.pointer(type), "/components/schemas/a~0b/type")
        // A key's pointer is that of its entry.
        let key = try XCTUnwrap(tree.keyNode(try XCTUnwrap(tree.node("components")), "schemas"))
        XCTAssertEqual(tree.pointer(key), "/components/schemas")
        XCTAssertEqual(tree.parent(try XCTUnwrap(tree.node("components", "schemas"))), tree.node("components"))
        XCTAssertNil(tree.parent(root))
        // Round trip through the pointer parser.
        XCTAssertEqual(try JSONPointer.components(ofFragment: tree.pointer(limit)), ["paths", "/pets/{id}", "get", "parameters", "1", "name"])
        XCTAssertEqual(try JSONPointer.components(ofFragment: "/a%20b/c~0d~1e/%7Bid%7D"), ["a b", "c~d/e", "{id}"])
        XCTAssertEqual(try JSONPointer.components(ofFragment: ""), [])
    }

    func testDuplicateKeysInALargeMappingAreFoundToo() {
        // More than 12 pairs takes the hashed path.
        let keys = (1...20).map { "k\($0): \($0)" } + ["k7: again"]
        let result = parseYAML(keys.joined(separator: "\n") + "\n")
        assertDiagnostic(result.diagnostics, "duplicate key 'k7' in a mapping; first defined at line 7, column 1", line: 21, column: 1)
        XCTAssertEqual(result.diagnostics.count, 1)
    }
}
