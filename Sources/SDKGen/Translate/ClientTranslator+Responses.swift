import OpenAPIDocument

/// What an operation answers: the success body (JSON, bytes or nothing) and the statuses that
/// are documented errors; and the error body type the whole client decodes errors into.
extension ModelTranslator {
    struct Responses {
        var success: SuccessDeclaration
        var errorCodes: [Int] = []
        var errorClasses: [Int] = []
    }

    /// The first success response with a body decides the method's return type; later ones with
    /// the same body add their status, others are reported as undocumented. Success responses
    /// without a body (a 204 beside a 200) do not conflict: the method then returns an Optional,
    /// nil for those statuses (`SuccessDeclaration.emptyStatuses`). `default` documents every class.
    mutating func responses(of op: SpecOperation, base: String) -> Responses {
        var success: SuccessDeclaration?
        var emptyStatuses: [Int] = []
        var errorCodes: [Int] = [], errorClasses: [Int] = []
        for (code, response) in op.responses {
            if code == "default" {
                errorClasses = [1, 3, 4, 5]
                continue
            }
            if code.hasPrefix("2") {
                guard let status = Int(code) else {
                    warn("response '\(code)': a success range is not generated; only explicit success codes are", response.value.source)
                    continue
                }
                let this = successShape(response.value, base: base, status: status)
                if this.kind == .empty {
                    emptyStatuses.append(status)
                } else if success == nil {
                    success = this
                } else if success!.kind == this.kind && success!.type == this.type {
                    success!.statuses.append(status)
                } else {
                    warn("response \(code) has another body type than the first success response; it is reported as undocumented", response.value.source)
                }
            } else if let status = Int(code) {
                errorCodes.append(status)
            } else if let first = Int(code.prefix(1)) {
                errorClasses.append(first)
            }
        }
        var declared: SuccessDeclaration
        if var withBody = success {
            withBody.emptyStatuses = emptyStatuses
            declared = withBody
        } else {
            declared = SuccessDeclaration(kind: .empty, type: .builtin(.void), statuses: emptyStatuses.isEmpty ? Array(200...299) : emptyStatuses,
                                          accept: emptyStatuses.isEmpty ? "*/*" : "application/json")
        }
        return Responses(success: declared, errorCodes: errorCodes, errorClasses: errorClasses)
    }

    private mutating func successShape(_ response: Response, base: String, status: Int) -> SuccessDeclaration {
        if let media = response.content.entries.first(where: { isJSON($0.key) }) {
            let type = media.value.schema.map { typeRef($0, hint: base + "Response").type } ?? .jsonValue
            return SuccessDeclaration(kind: .json, type: type, statuses: [status], accept: media.key)
        }
        if let media = response.content.entries.first {
            return SuccessDeclaration(kind: .bytes, type: .builtin(.data), statuses: [status], accept: media.key)
        }
        return SuccessDeclaration(kind: .empty, type: .builtin(.void), statuses: [status], accept: "application/json")
    }

    /// The error body type most error responses share (Codat: `ErrorMessage`).
    mutating func mostCommonErrorModel() -> TypeRef {
        var counts: [TypeRef: Int] = [:]
        var order: [TypeRef] = []
        for op in operations {
            for (code, response) in op.responses where !code.hasPrefix("2") {
                guard let schema = response.value.content["application/json"]?.schema else { continue }
                let type = typeRef(schema, hint: "ErrorBody").type
                if counts[type] == nil { order.append(type) }
                counts[type, default: 0] += 1
            }
        }
        return order.max { counts[$0]! < counts[$1]! } ?? .jsonValue
    }
}
