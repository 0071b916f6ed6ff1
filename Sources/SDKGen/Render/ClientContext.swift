/// Contexts of `Client.mustache`. Each level carries every key its part of the template reads
/// (an operation carries the client's `errorModel`, a `listAll` its method's name), so the
/// template never relies on Mustache finding a key in an outer context. Keys: `Templates/README.md`.
enum ClientContext {
    /// `Client.mustache`: the header and `client`.
    static func file(header: TemplateContext, client: ClientDeclaration) -> TemplateContext {
        var context = header
        context["client"] = self.client(client)
        return context
    }

    static func client(_ c: ClientDeclaration) -> TemplateContext {
        let errorModel = c.errorModel.context
        return [
            "name": c.name, "doc": c.doc, "defaultServer": Naming.stringLiteralBody(c.defaultServer),
            "credentials": ContextValue.withLast(c.credentials.map(credential)),
            "hasCredentials": !c.credentials.isEmpty,
            "retry": ContextValue.optional(c.retry.map(retry)),
            "errorModel": errorModel,
            "resources": c.resources.map { resource($0, errorModel: errorModel) },
        ]
    }

    static func credential(_ c: CredentialParameter) -> TemplateContext {
        ["label": c.label.rendered, "doc": c.doc, "location": c.location.rawValue, "nameLiteral": Naming.stringLiteralBody(c.name)]
    }

    static func retry(_ r: RetryPolicy) -> TemplateContext {
        ["initial": r.initialMilliseconds, "max": r.maxMilliseconds, "maxElapsed": r.maxElapsedMilliseconds, "exponent": "\(r.exponent)",
         "codes": ContextValue.list(r.codes), "classes": ContextValue.list(r.classes), "connectionErrors": r.connectionErrors]
    }

    static func resource(_ r: ResourceDeclaration, errorModel: TemplateContext) -> TemplateContext {
        ["property": r.property.rendered, "typeName": r.typeName.rendered, "doc": r.doc,
         "operations": r.operations.map { operation($0, errorModel: errorModel) }]
    }

    /// One argument of a method's signature (parameters, then the body or its parts), required ones first.
    private struct Argument {
        var label: SwiftName
        var type: TypeRef
        var optional: Bool

        var context: TemplateContext { ["label": label.rendered, "type": type.context, "optional": optional] }
    }

    private static func arguments(_ op: OperationDeclaration) -> [Argument] {
        var bodyArguments: [Argument] = []
        if let body = op.body {
            switch body.kind {
            case .json, .bytes: bodyArguments = [Argument(label: SwiftName("body"), type: body.type, optional: body.optional)]
            case .multipart: bodyArguments = body.parts.map { Argument(label: $0.label, type: $0.type, optional: $0.optional) }
            }
        }
        let all = op.parameters.map { Argument(label: $0.label, type: $0.type, optional: $0.optional) } + bodyArguments
        return all.filter { !$0.optional } + all.filter(\.optional)
    }

    static func operation(_ op: OperationDeclaration, errorModel: TemplateContext) -> TemplateContext {
        let arguments = self.arguments(op)
        func parameters(_ location: ParameterDeclaration.Location) -> [TemplateContext] {
            op.parameters.filter { $0.location == location }.map {
                ["label": $0.label.rendered, "nameLiteral": Naming.stringLiteralBody($0.name), "isEnum": $0.isEnum,
                 "arrayStyle": ContextValue.optional($0.arrayStyle?.rawValue)] as TemplateContext
            }
        }
        return [
            "methodName": op.methodName.rendered, "doc": op.doc, "deprecated": op.deprecated,
            "operationID": Naming.stringLiteralBody(op.operationID), "verb": op.verb,
            "pathTemplate": Naming.stringLiteralBody(op.pathTemplate),
            "arguments": arguments.map(\.context),
            "pathParameters": ContextValue.withLast(parameters(.path)),
            "queryParameters": parameters(.query),
            "headerParameters": parameters(.header),
            "jsonBody": op.body?.kind == .json, "bytesBody": op.body?.kind == .bytes, "multipartBody": op.body?.kind == .multipart,
            "bodyContentType": Naming.stringLiteralBody(op.body?.contentType ?? ""),
            "parts": (op.body?.parts ?? []).map {
                ["label": $0.label.rendered, "nameLiteral": Naming.stringLiteralBody($0.name), "isFile": $0.isFile] as TemplateContext
            },
            "successJSON": op.success.kind == .json, "successBytes": op.success.kind == .bytes, "successEmpty": op.success.kind == .empty,
            "successType": op.success.type.context,
            "successStatuses": ContextValue.list(op.success.statuses),
            "successOptional": !op.success.emptyStatuses.isEmpty, "emptyStatuses": ContextValue.list(op.success.emptyStatuses),
            "accept": Naming.stringLiteralBody(op.success.accept),
            "errorCodes": ContextValue.list(op.errorCodes),
            "errorClasses": ContextValue.list(op.errorClasses),
            "errorModel": errorModel,
            "anonymous": op.anonymous,
            "pagination": ContextValue.optional(op.pagination.map { pagination($0, of: op, arguments: arguments) }),
        ]
    }

    private static func pagination(_ p: PaginationDeclaration, of op: OperationDeclaration, arguments: [Argument]) -> TemplateContext {
        let isPage = p.kind == .page, isToken = p.kind == .token
        return [
            "methodName": op.methodName.rendered, "deprecated": op.deprecated,
            "listAllName": p.listAllName.rendered, "isPage": isPage, "isToken": isToken,
            "elementType": p.elementType.context,
            // The listAll signature: the method's arguments but the cursor's.
            "arguments": arguments.filter { $0.label != p.cursorLabel }.map(\.context),
            // The call to the method: every argument, the cursor's from the cursor.
            "forward": arguments.map { argument -> TemplateContext in
                let isCursor = argument.label == p.cursorLabel
                return ["label": argument.label.rendered, "isCursor": isCursor, "isPageCursor": isCursor && isPage, "isTokenCursor": isCursor && isToken]
            },
            "items": p.itemsProperty.rendered, "itemsOptional": p.itemsOptional,
            "pageNumber": ContextValue.optional(p.pageNumberProperty?.rendered), "pageSize": ContextValue.optional(p.pageSizeProperty?.rendered),
            "totalResults": ContextValue.optional(p.totalResultsProperty?.rendered),
            "tokenContainer": p.tokenContainer?.rendered ?? "", "tokenContainerOptional": p.tokenContainerOptional,
            "tokenProperty": p.tokenProperty?.rendered ?? "",
        ]
    }
}
