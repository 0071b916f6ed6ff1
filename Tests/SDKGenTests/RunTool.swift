import Foundation
import XCTest

/// Runs a tool (`swiftc`, a compiled program) and fails the test with its output when it fails.
@discardableResult
func runTool(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "\(arguments.prefix(3).joined(separator: " ")) failed:\n\(output)", file: file, line: line)
    return output
}
