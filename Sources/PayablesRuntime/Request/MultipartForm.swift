import Foundation
import OpenAPIRuntime

/// A file to upload: its name, media type and contents (in memory or on disk).
public struct MultipartFile: Sendable, Hashable {
    public enum Contents: Sendable, Hashable {
        case bytes(Data)
        /// Read in chunks while sending, so a large file is never held in memory whole.
        case file(URL)
    }

    public var fileName: String
    public var contentType: String
    public var contents: Contents

    public init(fileName: String, contentType: String = "application/octet-stream", bytes: Data) {
        self.init(fileName: fileName, contentType: contentType, contents: .bytes(bytes))
    }

    /// `fileName` defaults to the URL's last path component.
    public init(fileURL: URL, fileName: String? = nil, contentType: String = "application/octet-stream") {
        self.init(fileName: fileName ?? fileURL.lastPathComponent, contentType: contentType, contents: .file(fileURL))
    }

    public init(fileName: String, contentType: String, contents: Contents) {
        self.fileName = fileName
        self.contentType = contentType
        self.contents = contents
    }
}

/// A `multipart/form-data` body (RFC 7578): text fields and files, in order.
public struct MultipartForm: Sendable {
    public enum Part: Sendable {
        case text(name: String, value: String)
        case file(name: String, MultipartFile)
    }

    public var parts: [Part] = []
    public let boundary: String

    public init(boundary: String = "payables-" + UUID().uuidString) {
        self.boundary = boundary
    }

    public mutating func append(_ name: String, file: MultipartFile?) {
        if let file { parts.append(.file(name: name, file)) }
    }

    public mutating func append(_ name: String, text: (some ParameterValue)?) {
        if let text { parts.append(.text(name: name, value: text.parameterText)) }
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A quoted-string for a `Content-Disposition` parameter: quotes and backslashes are
    /// escaped and line breaks dropped, so a file name cannot end the header.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": out += "\\" + String(scalar)
            case "\r", "\n", "\0": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private func head(of part: Part, first: Bool) -> Data {
        var text = first ? "" : "\r\n"
        text += "--\(boundary)\r\n"
        switch part {
        case let .text(name, _):
            text += "Content-Disposition: form-data; name=\(Self.quoted(name))\r\n\r\n"
        case let .file(name, file):
            text += "Content-Disposition: form-data; name=\(Self.quoted(name)); filename=\(Self.quoted(file.fileName))\r\n"
            text += "Content-Type: \(file.contentType.filter { $0 != "\r" && $0 != "\n" })\r\n\r\n"
        }
        return Data(text.utf8)
    }

    private var tail: Data { Data("\(parts.isEmpty ? "" : "\r\n")--\(boundary)--\r\n".utf8) }

    /// The body for one attempt: a fresh sequence of chunks with a known length.
    func httpBody() throws -> HTTPBody {
        var length = 0
        var chunks: [Chunk] = []
        for (index, part) in parts.enumerated() {
            let head = head(of: part, first: index == 0)
            chunks.append(.data(head))
            length += head.count
            switch part {
            case let .text(_, value):
                let data = Data(value.utf8)
                chunks.append(.data(data))
                length += data.count
            case let .file(_, file):
                switch file.contents {
                case let .bytes(data):
                    chunks.append(.data(data))
                    length += data.count
                case let .file(url):
                    let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                    chunks.append(.file(url, size: size))
                    length += size
                }
            }
        }
        chunks.append(.data(tail))
        length += tail.count
        return HTTPBody(ChunkSequence(chunks: chunks), length: .known(Int64(length)), iterationBehavior: .single)
    }

    enum Chunk: Sendable {
        case data(Data)
        case file(URL, size: Int)
    }

    /// Yields the parts' bytes, reading files 256 KiB at a time.
    struct ChunkSequence: AsyncSequence, Sendable {
        typealias Element = ArraySlice<UInt8>
        let chunks: [Chunk]

        struct AsyncIterator: AsyncIteratorProtocol {
            var chunks: IndexingIterator<[Chunk]>
            var handle: FileHandle?

            mutating func next() async throws -> ArraySlice<UInt8>? {
                while true {
                    if let handle {
                        if let data = try handle.read(upToCount: 256 * 1024), !data.isEmpty {
                            return ArraySlice(data)
                        }
                        try handle.close()
                        self.handle = nil
                    }
                    guard let chunk = chunks.next() else { return nil }
                    switch chunk {
                    case let .data(data):
                        if !data.isEmpty { return ArraySlice(data) }
                    case let .file(url, _):
                        handle = try FileHandle(forReadingFrom: url)
                    }
                }
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks.makeIterator()) }
    }
}
