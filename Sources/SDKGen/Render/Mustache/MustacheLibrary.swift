/// Named templates (partials find each other by name) and their rendering over the typed
/// contexts `Render/` builds (`TemplateValue`).
///
/// Why not swift-mustache, whose output this matches byte for byte: it looks every name up through
/// dynamic casts to its protocols (six to eight a tag) and returns a new string from every tag,
/// which made rendering most of the generator's time (issue 14: 8 MB of Swift from a 3 MB
/// document took 8 s). Here each tag's name is resolved to a `TemplateKey` when the template is
/// parsed, a lookup compares integers in typed contexts (no hashing, no casts), partials are found
/// by key in an array, and everything is written into one byte buffer.
struct MustacheLibrary: Sendable {
    /// Every template compiled into one program: instructions and the bytes and keys they point
    /// into, all plain integers, so rendering reads them without reference counting.
    private var program = MustacheProgram()
    /// Each template's instructions in `program`, by `TemplateKey.id` of its name (nil: none).
    private var templates: [Range<Int>?] = []

    init() {}

    mutating func register(_ text: String, named name: String) throws {
        let template = try MustacheTemplate(text)
        let id = TemplateKey(name).id
        if templates.count <= id { templates += Array(repeating: nil, count: id + 1 - templates.count) }
        templates[id] = program.compile(template.tokens)
    }

    func hasTemplate(named name: String) -> Bool { range(TemplateKey(name)) != nil }

    private func range(_ key: TemplateKey) -> Range<Int>? { key.id < templates.count ? templates[key.id] : nil }

    /// The template `name` rendered with `context` at the bottom of the context stack; nil when
    /// there is no such template. `capacity`: the bytes to reserve for the output (a guess).
    func render(_ context: TemplateValue, withTemplate name: String, capacity: Int = 1 << 16) -> String? {
        guard let range = range(TemplateKey(name)) else { return nil }
        let output = program.instructions.withUnsafeBufferPointer { instructions in
            program.bytes.withUnsafeBufferPointer { bytes in
                program.keys.withUnsafeBufferPointer { keys in
                    var renderer = MustacheRenderer(instructions: instructions, bytes: bytes, keys: keys, templates: templates,
                                                    root: context, capacity: capacity)
                    renderer.render(range, indentation: nil)
                    return renderer.output.finish()
                }
            }
        }
        return output
    }
}

/// One step of a compiled template. Ranges point into `MustacheProgram.bytes` (text,
/// indentation) and `MustacheProgram.keys` (a name's keys, split at dots).
private struct MustacheInstruction {
    enum Kind: UInt8 { case text, variable, section, partial }
    var kind: Kind
    /// variable: HTML-escaped; section: inverted; partial: has an indentation (is standalone).
    var flag = false
    /// The name is `.` (the current item) / starts with `.` (current item only).
    var isCurrent = false, isLocal = false
    /// text, partial indentation: bytes; variable, section: keys.
    var start = 0, end = 0
    /// section: the instruction after its body (the body follows the section); partial: the template's key id.
    var next = 0
}

private struct MustacheProgram: Sendable {
    var instructions: [MustacheInstruction] = []
    var bytes: [UInt8] = []
    var keys: [TemplateKey] = []

    /// Appends `tokens` (a parsed template) and returns their instructions.
    mutating func compile(_ tokens: [MustacheToken]) -> Range<Int> {
        let start = instructions.count
        emit(tokens)
        return start..<instructions.count
    }

    /// Adjacent texts (one token a line) become one instruction, fewer steps to render; the
    /// renderer indents the lines inside it as it would have indented each one.
    private mutating func emit(_ tokens: [MustacheToken]) {
        var afterText = false
        for token in tokens {
            defer { if case .text = token { afterText = true } else { afterText = false } }
            switch token {
            case let .text(text):
                if afterText {
                    instructions[instructions.count - 1].end += text.count
                } else {
                    instructions.append(MustacheInstruction(kind: .text, start: bytes.count, end: bytes.count + text.count))
                }
                bytes += text
            case let .variable(name, escaped):
                instructions.append(instruction(.variable, name, flag: escaped))
            case let .section(name, inverted, body):
                let index = instructions.count
                instructions.append(instruction(.section, name, flag: inverted))
                emit(body)
                instructions[index].next = instructions.count
            case let .partial(key, indentation):
                var partial = MustacheInstruction(kind: .partial, flag: indentation != nil, start: bytes.count, next: key.id)
                bytes += indentation ?? []
                partial.end = bytes.count
                instructions.append(partial)
            }
        }
    }

    private mutating func instruction(_ kind: MustacheInstruction.Kind, _ name: MustacheName, flag: Bool) -> MustacheInstruction {
        let start = keys.count
        keys += name.keys
        return MustacheInstruction(kind: kind, flag: flag, isCurrent: name.isCurrent, isLocal: name.isLocal, start: start, end: keys.count)
    }
}

/// Values in a section and in an interpolation, as swift-mustache treats them: a list renders its
/// body once per item, a Bool renders it (true) or not without entering a new context, a text,
/// number or object renders it once with the value as the current item. Inverted sections render
/// for a missing key, `false` and an empty list. An interpolated Bool is `true`/`false`, a number
/// its digits; a list or object interpolates as nothing.
private struct MustacheRenderer {
    let instructions: UnsafeBufferPointer<MustacheInstruction>
    let bytes: UnsafeBufferPointer<UInt8>
    let keys: UnsafeBufferPointer<TemplateKey>
    let templates: [Range<Int>?]
    var stack: [TemplateValue]
    var output: OutputBuffer
    /// Per instruction: where its name's first key was last found in the current context. The
    /// contexts a template meets at one place come from one builder and share their layout, so
    /// the guess almost always holds and a lookup compares one key.
    var slots: [Int32]

    init(instructions: UnsafeBufferPointer<MustacheInstruction>, bytes: UnsafeBufferPointer<UInt8>, keys: UnsafeBufferPointer<TemplateKey>,
         templates: [Range<Int>?], root: TemplateValue, capacity: Int) {
        self.instructions = instructions
        self.bytes = bytes
        self.keys = keys
        self.templates = templates
        stack = [root]
        stack.reserveCapacity(16)
        output = OutputBuffer(capacity: capacity)
        slots = Array(repeating: 0, count: instructions.count)
    }

    /// Renders the instructions in `range`. swift-mustache's rule for partials: inside an indented
    /// standalone partial, an instruction's non-empty output that starts a new line (after text
    /// this call wrote) gets the indentation.
    mutating func render(_ range: Range<Int>, indentation: [UInt8]?) {
        var i = range.lowerBound
        guard let indentation, !indentation.isEmpty else {
            while i < range.upperBound { i = render(at: i, indentation: indentation) }
            return
        }
        let start = output.count
        while i < range.upperBound {
            if instructions[i].kind == .text {
                // Text is never empty: the indentation written before it stays.
                if endsWithLineFeed(since: start) { output.append(indentation) }
                writeIndented(instructions[i], indentation, since: start)
                i += 1
            } else if endsWithLineFeed(since: start) {
                output.append(indentation)
                let mark = output.count
                i = render(at: i, indentation: indentation)
                if output.count == mark { output.removeLast(indentation.count) }
            } else {
                i = render(at: i, indentation: indentation)
            }
        }
    }

    /// A text instruction (lines merged at compile time) in an indented partial: each line after
    /// the first gets the indentation when the line before ends the way `render(_:indentation:)`
    /// checks before an instruction.
    private mutating func writeIndented(_ text: MustacheInstruction, _ indentation: [UInt8], since start: Int) {
        var lineStart = text.start
        var p = text.start
        while p < text.end - 1 {
            if bytes[p] == 0x0A {
                output.append(UnsafeBufferPointer(rebasing: bytes[lineStart...p]))
                if endsWithLineFeed(since: start) { output.append(indentation) }
                lineStart = p + 1
            }
            p += 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[lineStart..<text.end]))
    }

    /// Whether the text written since `start` ends with a line feed that is a line of its own
    /// (a `\r\n` pair is one character, which is not "\n").
    private func endsWithLineFeed(since start: Int) -> Bool {
        let count = output.count - start
        guard count > 0, output[output.count - 1] == 0x0A else { return false }
        return count < 2 || output[output.count - 2] != 0x0D
    }

    /// Renders the instruction at `index` (with its body); returns the index of the next one.
    private mutating func render(at index: Int, indentation: [UInt8]?) -> Int {
        let instruction = instructions[index]
        switch instruction.kind {
        case .text:
            output.append(UnsafeBufferPointer(rebasing: bytes[instruction.start..<instruction.end]))
        case .variable:
            switch lookup(instruction, at: index) {
            case let .string(text)?: write(text, escaped: instruction.flag)
            case let .bool(flag)?: write(flag ? "true" : "false", escaped: instruction.flag)
            case let .int(number)?: write(String(number), escaped: instruction.flag)
            case .list?, .strings?, .objects?, .object?, nil: break
            }
        case .section:
            let body = (index + 1)..<instruction.next
            let value = lookup(instruction, at: index)
            if instruction.flag {
                renderInverted(value, body, indentation)
            } else if let value {
                renderSection(value, body, indentation)
            }
            return body.upperBound
        case .partial:
            let id = instruction.next
            guard id < templates.count, let template = templates[id] else { break }
            if instruction.flag {
                let own = UnsafeBufferPointer(rebasing: bytes[instruction.start..<instruction.end])
                render(template, indentation: own.isEmpty ? indentation ?? [] : (indentation ?? []) + own)
            } else {
                render(template, indentation: indentation)
            }
        }
        return index + 1
    }

    private mutating func renderSection(_ value: TemplateValue, _ body: Range<Int>, _ indentation: [UInt8]?) {
        switch value {
        case let .list(items):
            for item in items { renderPushed(item, body, indentation) }
        case let .strings(items):
            for item in items { renderPushed(.string(item), body, indentation) }
        case let .objects(items):
            for item in items { renderPushed(.object(item), body, indentation) }
        case let .bool(flag):
            if flag { render(body, indentation: indentation) }
        case .string, .int, .object:
            renderPushed(value, body, indentation)
        }
    }

    private mutating func renderInverted(_ value: TemplateValue?, _ body: Range<Int>, _ indentation: [UInt8]?) {
        switch value {
        case nil, .bool(false)?: render(body, indentation: indentation)
        case let .list(items)?: if items.isEmpty { renderPushed(.list(items), body, indentation) }
        case let .strings(items)?: if items.isEmpty { renderPushed(.strings(items), body, indentation) }
        case let .objects(items)?: if items.isEmpty { renderPushed(.objects(items), body, indentation) }
        case .bool(true)?, .string?, .int?, .object?: break
        }
    }

    private mutating func renderPushed(_ value: TemplateValue, _ body: Range<Int>, _ indentation: [UInt8]?) {
        stack.append(value)
        render(body, indentation: indentation)
        stack.removeLast()
    }

    /// `.` is the current item; `a.b` finds `a` in the nearest item that has it, then `b` in it;
    /// `.a` looks in the current item only.
    private mutating func lookup(_ instruction: MustacheInstruction, at index: Int) -> TemplateValue? {
        let start = instruction.start, end = instruction.end
        if instruction.isCurrent || start == end { return stack[stack.count - 1] }
        let first = keys[start]
        var found: TemplateValue?
        if case let .object(current) = stack[stack.count - 1] {
            found = current.value(first, slot: &slots[index])
        }
        if found == nil, !instruction.isLocal {
            found = stack.withUnsafeBufferPointer { frames in
                var i = frames.count - 2
                while i >= 0 {
                    if case let .object(object) = frames[i], let value = object[first] { return value }
                    i -= 1
                }
                return nil
            }
        }
        guard var value = found else { return nil }
        for k in (start + 1)..<end {
            guard let next = value.child(keys[k]) else { return nil }
            value = next
        }
        return value
    }

    private mutating func write(_ text: String, escaped: Bool) {
        // A native string's bytes are read in place; only another (bridged) one is copied.
        if text.utf8.withContiguousStorageIfAvailable({ write($0, escaped: escaped) }) != nil { return }
        var text = text
        text.withUTF8 { write($0, escaped: escaped) }
    }

    private mutating func write(_ bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        guard escaped, bytes.contains(where: Self.needsEscaping) else {
            output.append(bytes)
            return
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "<"): output.append("&lt;" as StaticString)
            case UInt8(ascii: ">"): output.append("&gt;" as StaticString)
            case UInt8(ascii: "&"): output.append("&amp;" as StaticString)
            case UInt8(ascii: "\""): output.append("&quot;" as StaticString)
            case UInt8(ascii: "'"): output.append("&#39;" as StaticString)
            default: output.append(b)
            }
        }
    }

    private static func needsEscaping(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "&") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }
}

/// The rendered bytes in memory of the renderer's own: an append is a capacity check and a copy
/// (no uniqueness checks of an Array). `finish()` makes the String and frees the memory.
private struct OutputBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    subscript(index: Int) -> UInt8 { base[index] }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if capacity - count < bytes.count { grow(toFit: bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    mutating func append(_ text: StaticString) { append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }

    mutating func removeLast(_ n: Int) { count -= n }

    private mutating func grow(toFit n: Int) {
        capacity = Swift.max(capacity * 2, count + n)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.initialize(from: base, count: count)
        base.deallocate()
        base = larger
    }

    /// The bytes as a String; the buffer is freed (the renderer is done with it).
    mutating func finish() -> String {
        defer { base.deallocate(); count = 0; capacity = 0 }
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
