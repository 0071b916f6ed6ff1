/// Lenient readings: defects that real documents carry and that the major tools (Apple's
/// swift-openapi-generator with OpenAPIKit, Redocly, swagger-parser) read anyway. Each is read
/// the way they read it and reported as a warning that names the defect and the reading.
///
/// A defect repeated across a document (a split document that puts `$ref` on 500 operations) is
/// one warning with a count, located at its first place in file order, as `nullable` in 3.1 is.
/// What no major tool reads stays an error.
extension DocumentReader {
    /// Records one occurrence of a lenient reading; `message` names the defect and the reading.
    func lenient(_ message: String, _ n: NodeRef) {
        if let seen = lenientReadings[message] {
            lenientReadings[message] = (seen.count + 1, precedes(n, seen.first) ? n : seen.first)
        } else {
            lenientReadings[message] = (1, n)
        }
    }

    /// One warning per lenient reading (with its count when it happened more than once), in file order.
    func reportLenientReadings() {
        let sorted = lenientReadings.sorted { a, b in
            a.value.first == b.value.first ? a.key < b.key : precedes(a.value.first, b.value.first)
        }
        for (message, seen) in sorted {
            warning(seen.count == 1 ? message : "\(message) (\(seen.count) times in this document; first here)", seen.first)
        }
        lenientReadings = [:]
    }

    /// Whether `a` is written before `b` (files in the order they were loaded, the root first).
    func precedes(_ a: NodeRef, _ b: NodeRef) -> Bool {
        if a.file != b.file { return a.file < b.file }
        let t = tree(a)
        return (t.line(a.node), t.column(a.node)) < (t.line(b.node), t.column(b.node))
    }

    /// Fields whose value is data, where YAML's null is a value like any other.
    static let dataFields: Set<String> = ["example", "default", "const", "value", "enum"]

    /// `key:` with nothing after it (or `null`/`~`) on a field that takes an object, a list or a
    /// string: OpenAPIKit, Redocly and swagger-parser read it as absent. Data fields keep their null.
    func isNullReadAsAbsent(_ key: String, _ value: NodeRef) -> Bool {
        guard tree(value).scalarTag(value.node) == .null, key != "$ref", !key.hasPrefix("x-"), !Self.dataFields.contains(key) else { return false }
        lenient("'\(key)' has no value (YAML null); read as if it were absent", value)
        return true
    }

    /// A `$ref` where OpenAPI wants a string (DigitalOcean's tag descriptions: `description: {$ref: intro.yml#/text}`):
    /// bundlers (Redocly, swagger-parser) replace any `$ref` by its target, so the target's text is read.
    func referencedString(_ holder: NodeRef, _ refValue: NodeRef, _ field: String) -> String? {
        guard let target = followReferences(holder, "a string") else { return nil }
        let t = tree(target)
        guard let value = t.scalar(target.node), t.scalarTag(target.node) != .null else {
            error("'\(field)' is a $ref to \(describe(target)); it must lead to a string", refValue)
            return nil
        }
        lenient("$ref in place of a string ('\(field)') is not OpenAPI; resolved and read as the text it points to, as bundlers do", refValue)
        return value
    }

    /// The object readers that handle a `$ref` themselves (a Schema's `$ref` is a keyword, a Path Item's is allowed).
    /// Objects that may be a Reference Object are resolved before they are read (`resolvable`).
    static let readersOfReferences: Set<String> = ["a Schema object", "a Path Item object"]
    /// Maps whose values are names or data, where a `$ref` entry is an entry.
    static let mapsNamingReferences: Set<String> = ["the discriminator mapping", "link parameters"]

    /// Reads through a `$ref` where OpenAPI allows none: `components: {schemas: {$ref: schemas.json}}`
    /// (SendGrid's split document), a Media Type or Server replaced by a `$ref`. Redocly and
    /// swagger-parser replace any `$ref` by its target; so does this reader, once per place, with the
    /// cycle and nesting bounds of every other `$ref`.
    func readReferenced<R>(_ n: NodeRef, _ what: String, _ read: (NodeRef) -> R?) -> R? {
        guard let refValue = refNode(n) else { return read(n) }
        lenient("$ref in place of \(what) is not OpenAPI; resolved and read as its target, as bundlers do", refValue)
        guard let target = followReferences(n, what) else { return nil }
        if inProgress.contains(target) {
            error("$ref '\(tree(refValue).scalar(refValue.node) ?? "")' is part of a reference cycle", refValue)
            return nil
        }
        if referenceNesting >= limits.maxReferenceNesting {
            error("objects reached through $ref nest more than \(limits.maxReferenceNesting) levels deep here", refValue)
            return nil
        }
        inProgress.insert(target)
        referenceNesting += 1
        defer {
            inProgress.remove(target)
            referenceNesting -= 1
        }
        return read(target)
    }

    /// Follows the `$ref`s from `n` (a chain, in a loop) to the node they end at; nil, reported, when one
    /// leads nowhere, the chain is too long, or it loops.
    func followReferences(_ n: NodeRef, _ what: String) -> NodeRef? {
        var current = n
        var seen: Set<NodeRef> = [n]
        while let refValue = refNode(current) {
            guard let text = string(refValue, "$ref") else { return nil }
            if seen.count > limits.maxReferenceChain {
                error("$ref '\(text)' continues a chain of more than \(limits.maxReferenceChain) $refs", refValue)
                return nil
            }
            guard let target = resolveReference(text, at: refValue) else { return nil }
            guard seen.insert(target).inserted else {
                error("$ref '\(text)' is part of a reference cycle that never reaches \(what)", refValue)
                return nil
            }
            current = target
        }
        return current
    }

    /// A `$ref` whose file part is a URL: this tool reads only local files.
    func remoteReference(_ n: NodeRef) -> String? {
        guard let refValue = refNode(n), let text = tree(refValue).scalar(refValue.node),
              text.prefix(while: { $0 != "#" }).contains("://") else { return nil }
        return text
    }

    /// A component whose whole value is a remote `$ref` is left out with a warning (the OpenAPI
    /// Initiative's own examples have one); a use of it still fails where it is used.
    func skipsRemoteComponent(_ name: String, _ n: NodeRef) -> Bool {
        guard let text = remoteReference(n) else { return false }
        warning("component '\(name)' is a $ref to the remote document '\(text)', which this tool does not fetch; left out (a use of it is an error)", n)
        return true
    }
}
