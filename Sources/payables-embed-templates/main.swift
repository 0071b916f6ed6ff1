import Foundation

// swift run payables-embed-templates Sources/SDKGen/Render/BuiltInTemplates.swift Templates/*.mustache
//
// Writes OUTPUT, a Swift file declaring `BuiltInTemplates.texts`: each template's name (its
// file name without `.mustache`) -> its text, byte for byte, as a raw string literal. So
// payables-gen carries its templates and runs from any folder, its binary copied anywhere.
//
// The file is written by this tool and committed, not made by a build-tool plugin: SwiftPM
// builds payables-gen for the PayablesGeneratorPlugin in a first phase that applies no
// build-tool plugin to its dependencies (SDKGen failed with "cannot find 'BuiltInTemplates'").
// `Templates/` stays the one source: TemplateAndConfigTests compares the two byte for byte,
// and the build plugin passes the package's `Templates/` to payables-gen, so an edited
// template reruns the generator and takes effect before this file is rewritten.

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: payables-embed-templates OUTPUT TEMPLATE...\n".utf8))
    exit(2)
}
var entries: [(name: String, text: String)] = []
for path in arguments.dropFirst().sorted() {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("\(path):1:1: error: cannot read the template\n".utf8))
        exit(1)
    }
    guard let text = String(data: data, encoding: .utf8), !text.contains("\r") else {
        // A raw string literal keeps every byte but a carriage return (Swift reads CRLF as LF).
        FileHandle.standardError.write(Data("\(path):1:1: error: a template must be UTF-8 with LF line endings\n".utf8))
        exit(1)
    }
    let name = URL(fileURLWithPath: path).lastPathComponent
    entries.append((String(name.dropLast(".mustache".count)), text))
}

/// More `#`s than any run of them in the text: no `"""#…` or `\#…(` inside can end the literal or interpolate.
func delimiter(for text: String) -> String {
    var longest = 0, run = 0
    for character in text {
        run = character == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    return String(repeating: "#", count: longest + 1)
}

var swift = """
    // Written from Templates/*.mustache by payables-embed-templates; do not edit. After changing a template:
    //     swift run payables-embed-templates Sources/SDKGen/Render/BuiltInTemplates.swift Templates/*.mustache

    enum BuiltInTemplates {
        /// Template name (the file name without `.mustache`) -> its text, byte for byte.
        static let texts: [String: String] = [

    """
for entry in entries {
    let hashes = delimiter(for: entry.text)
    // A multi-line literal drops the line break before its closing delimiter: one is added.
    swift += "        \"\(entry.name)\": \(hashes)\"\"\"\n\(entry.text)\n\"\"\"\(hashes),\n"
}
swift += "    ]\n}\n"
do {
    // Rewritten only when it changes, so an unchanged template costs no recompilation.
    if FileManager.default.contents(atPath: output) != Data(swift.utf8) {
        try Data(swift.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    }
} catch {
    FileHandle.standardError.write(Data("\(output): error: cannot write: \(error)\n".utf8))
    exit(1)
}
