import Foundation
import OpenAPIRuntime
import PayablesRuntime
import XCTest

final class RequestEncodingTests: XCTestCase {
    func testPathParametersCannotChangeThePath() throws {
        let cases: [(String, String)] = [
            ("../x", "..%2Fx"),
            ("a/b?c#d", "a%2Fb%3Fc%23d"),
            ("with space", "with%20space"),
            ("café ✓", "caf%C3%A9%20%E2%9C%93"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("100%", "100%25"),
            ("a;b=c&d+e", "a%3Bb%3Dc%26d%2Be"),
            ("plain-id_1.2~", "plain-id_1.2~"),
        ]
        for (value, encoded) in cases {
            let request = try OperationRequest(operationID: "op", method: .get, pathTemplate: "/companies/{companyId}/bills",
                                               pathParameters: [("companyId", value)])
            XCTAssertEqual(request.path, "/companies/\(encoded)/bills", value)
        }
    }

    func testEmptyOrMissingPathParameterIsRefused() {
        XCTAssertThrowsError(try OperationRequest(operationID: "op", method: .get, pathTemplate: "/a/{id}", pathParameters: [("id", "")])) {
            XCTAssertEqual("\($0)", "op: invalid request: path parameter 'id' is empty")
        }
        XCTAssertThrowsError(try OperationRequest(operationID: "op", method: .get, pathTemplate: "/a/{id}", pathParameters: []))
    }

    func testQueryIsFormEncodedAndNilIsNotSent() throws {
        var request = try OperationRequest(operationID: "op", method: .get, pathTemplate: "/bills")
        request.addQuery("query", "status=Open&&amountDue>0")
        request.addQuery("page", Int32(2))
        request.addQuery("orderBy", String?.none)
        request.addQuery("flag", true)
        request.addQuery("ids", ["a b", "c"])
        XCTAssertEqual(request.encodedQuery, ["query=status%3DOpen%26%26amountDue%3E0", "page=2", "flag=true", "ids=a%20b", "ids=c"])
    }

    /// Query arrays as OpenAPI's style table writes them: exploded (`form`, the default), or one
    /// `name` with the elements joined by `,`, a space or `|`; each element is encoded on its own
    /// (its own `,` cannot split it); an empty or nil array sends nothing.
    func testQueryArraysFollowTheirStyle() throws {
        enum Kind: String { case cat, dog }
        var request = try OperationRequest(operationID: "op", method: .get, pathTemplate: "/pets")
        request.addQuery("tags", ["a,b", "c"])
        request.addQuery("ids", [1, 2, 3], style: .commaDelimited)
        request.addQuery("kinds", [Kind.cat, .dog])
        request.addQuery("kindsJoined", [Kind.cat, .dog], style: .commaDelimited)
        request.addQuery("sizes", [1.5, 2], style: .pipeDelimited)
        request.addQuery("words", ["x y", "z"], style: .spaceDelimited)
        request.addQuery("none", [String](), style: .commaDelimited)
        request.addQuery("absent", [Kind]?.none, style: .commaDelimited)
        XCTAssertEqual(request.encodedQuery, ["tags=a%2Cb", "tags=c", "ids=1,2,3", "kinds=cat", "kinds=dog", "kindsJoined=cat,dog",
                                              "sizes=1.5%7C2.0", "words=x%20y%20z"])
    }

    func testHeaderWithLineBreakIsRefusedBeforeSending() async throws {
        var request = try OperationRequest(operationID: "create-bill", method: .post, pathTemplate: "/bills")
        XCTAssertThrowsError(try request.addHeader("Idempotency-Key", "abc\r\nX-Evil: 1")) {
            XCTAssertTrue("\($0)".contains("line break"), "\($0)")
        }
        XCTAssertThrowsError(try request.addHeader("Idempotency-Key", "abc\nd"))
        try request.addHeader("Idempotency-Key", "fine-value")
        XCTAssertEqual(request.headers.map(\.value), ["fine-value"])

        // Per-call headers are checked too, and nothing reaches the transport.
        let transport = ScriptedTransport([])
        let core = makeCore(transport)
        do {
            _ = try await call(core, request, options: CallOptions(headers: ["X-Trace": "a\rb"]))
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue(error is PayablesRequestError, "\(error)")
        }
        XCTAssertEqual(transport.sent.count, 0)
    }

    func testCredentialsAndBodiesReachTheTransport() async throws {
        let transport = ScriptedTransport([.respond(201, body: #"{"id":"1"}"#)])
        var request = try OperationRequest(operationID: "create", method: .post, pathTemplate: "/bills")
        struct Payment: Encodable { var amount: Decimal }
        try request.setJSONBody(Payment(amount: Decimal(string: "135.85")!))
        let result = try await call(makeCore(transport), request)
        XCTAssertEqual(result, ["id": "1"])
        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.headerFields[.authorization], "Basic c2VjcmV0LWFwaS1rZXk=")
        XCTAssertEqual(sent.request.headerFields[.contentType], "application/json")
        XCTAssertEqual(String(decoding: sent.body, as: UTF8.self), #"{"amount":135.85}"#)
    }

    func testMultipartBodyFromBytesAndFromFile() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString).bin")
        let fileBytes = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try fileBytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        for file in [MultipartFile(fileName: "in\"voice\r\n.pdf", contentType: "application/pdf", bytes: fileBytes),
                     MultipartFile(fileURL: url, fileName: "in\"voice\r\n.pdf", contentType: "application/pdf")] {
            let transport = ScriptedTransport([])
            var request = try OperationRequest(operationID: "upload", method: .post, pathTemplate: "/attachments")
            var form = MultipartForm(boundary: "BOUNDARY")
            form.append("file", file: file)
            form.append("note", text: "hello")
            request.setMultipartBody(form)
            _ = try await call(makeCore(transport), request)
            let sent = try XCTUnwrap(transport.sent.first)
            XCTAssertEqual(sent.request.headerFields[.contentType], "multipart/form-data; boundary=BOUNDARY")
            var expected = Data("--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in\\\"voice.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
            expected += fileBytes
            expected += Data("\r\n--BOUNDARY\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--BOUNDARY--\r\n".utf8)
            XCTAssertEqual(sent.body.count, expected.count)
            XCTAssertTrue(sent.body == expected)
        }
    }
}
