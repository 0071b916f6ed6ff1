import Foundation

/// `<package root>`, from this file's path (`<root>/Tests/GeneratedModelsTests/…`).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
