import Foundation

/// The front end's entry point: a spec file in, a resolved document and its diagnostics out.
public enum DocumentLoader {
    public struct Result: Sendable {
        /// Nil when the document could not be read at all (the diagnostics say why).
        public var document: OpenAPIDocument?
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// What reading one file gave.
    public enum FileContents: Sendable {
        case bytes([UInt8])
        /// Missing, a folder, a device, or not readable.
        case unreadable
        /// Bigger than `YAMLParser.Limits.maxFileBytes` (not read).
        case tooLarge
    }

    /// Reads the file at `path` and the files its `$ref`s point into. `$ref`s may only read
    /// regular files inside `refRoot` (by real path, symlinks resolved); default: the spec's folder.
    public static func load(path: String, refRoot: String? = nil, limits: YAMLParser.Limits = .init()) -> Result {
        let reader = DocumentReader(limits: limits, referenceRoot: ReferenceRoot(folder: refRoot ?? folder(of: path), realPath: realPath),
                                    readFile: { readRegularFile($0, maxBytes: limits.maxFileBytes) })
        return load(reader, path: path, bytes: nil)
    }

    /// Reads a document from memory; `readFile` supplies files that relative `$ref`s point into
    /// (inside `refRoot`, default the document's folder, compared by normalised path).
    public static func load(path: String, bytes: [UInt8]?, refRoot: String? = nil, limits: YAMLParser.Limits = .init(),
                            readFile: @escaping (String) -> [UInt8]? = { readRegularFile($0, maxBytes: .max).data }) -> Result {
        let reader = DocumentReader(limits: limits, referenceRoot: ReferenceRoot(folder: refRoot ?? folder(of: path), realPath: { $0 }),
                                    readFile: { readFile($0).map(FileContents.bytes) ?? .unreadable })
        return load(reader, path: path, bytes: bytes)
    }

    private static func load(_ reader: DocumentReader, path: String, bytes: [UInt8]?) -> Result {
        guard let file = reader.loadFile(path, bytes: bytes), let root = reader.files[Int(file)].tree.root else {
            return Result(document: nil, diagnostics: reader.diagnostics.all)
        }
        let document = reader.readDocument(root: NodeRef(file: file, node: root))
        return Result(document: document, diagnostics: reader.diagnostics.all)
    }

    /// A regular file's bytes, refusing folders, devices and pipes (which could block or never end)
    /// and files over `maxBytes` (checked before reading).
    public static func readRegularFile(_ path: String, maxBytes: Int) -> FileContents {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return .unreadable }
        if let size = attributes[.size] as? Int, size > maxBytes { return .tooLarge }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable }
        return data.count > maxBytes ? .tooLarge : .bytes([UInt8](data))
    }

    /// The folder holding `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The canonical path (symlinks, `.` and `..` resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension DocumentLoader.FileContents {
    public var data: [UInt8]? { if case let .bytes(b) = self { return b } else { return nil } }
}

/// The folder `$ref`s may read files from. A path must be inside it as written (after `.` and
/// `..` are folded) and, once it exists, by its real path, so that a symlink cannot lead out.
struct ReferenceRoot {
    /// Absolute and normalised.
    let folder: String
    let realFolder: String?
    let realPath: (String) -> String?

    init(folder: String, realPath: @escaping (String) -> String?) {
        self.folder = Self.absolute(folder)
        self.realPath = realPath
        realFolder = realPath(self.folder)
    }

    /// Whether `path` (absolute, normalised) may be read.
    func admits(_ path: String) -> Bool {
        guard Self.isInside(path, folder) else { return false }
        guard let realFolder, let real = realPath(path) else { return true }
        return Self.isInside(real, realFolder)
    }

    private static func isInside(_ path: String, _ folder: String) -> Bool {
        path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    /// `path` made absolute against the working folder and normalised.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return DocumentReader.normalize(path) }
        return DocumentReader.normalize(FileManager.default.currentDirectoryPath + "/" + path)
    }
}
