/// Contexts of `Client.mustache`. Each level carries every key its part of the template reads
/// (an operation carries the client's `errorModel`, a `listAll` its method's name), so the
/// template never relies on Mustache finding a key in an outer context. Keys: `Templates/README.md`.
enum ClientContext {
    /// `Client.mustache`: the header and `client`.
    static func file(header: TemplateContext, client: ClientDeclaration) -> TemplateContext {
        var context = header
        context[.client] = .object(self.client(client))
        return context
    }

    static func client(_ c: ClientDeclaration) -> TemplateContext {
        let errorModel = c.errorModel.context
        return [
            .name: .string(c.name), .doc: .strings(c.doc), .defaultServer: .string(Naming.stringLiteralBody(c.defaultServer)),
            .credentials: .objects(ContextValue.withLast(c.credentials.map(credential))),
            .hasCredentials: .bool(!c.credentials.isEmpty),
            .retry: .optional(c.retry.map { .object(retry($0)) }),
            .errorModel: .object(errorModel),
            .resources: .objects(c.resources.map { resource($0, errorModel: errorModel) }),
        ]
    }

    static func credential(_ c: CredentialParameter) -> TemplateContext {
        [.label: .string(c.label.rendered), .doc: .strings(c.doc), .location: .string(c.location.rawValue), .nameLiteral: .string(Naming.stringLiteralBody(c.name))]
    }

    static func retry(_ r: RetryPolicy) -> TemplateContext {
        [.initial: .int(r.initialMilliseconds), .max: .int(r.maxMilliseconds), .maxElapsed: .int(r.maxElapsedMilliseconds), .exponent: .string("\(r.exponent)"),
         .codes: .string(ContextValue.list(r.codes)), .classes: .string(ContextValue.list(r.classes)), .connectionErrors: .bool(r.connectionErrors)]
    }

    static func resource(_ r: ResourceDeclaration, errorModel: TemplateContext) -> TemplateContext {
        [.property: .string(r.property.rendered), .typeName: .string(r.typeName.rendered), .doc: .strings(r.doc),
         .operations: .objects(r.operations.map { operation($0, errorModel: errorModel) })]
    }

    /// One argument of a method's signature (parameters, then the body or its parts), required ones first.
    private struct Argument {
        var label: SwiftName
        var type: TypeRef
        var optional: Bool

        var context: TemplateContext { [.label: .string(label.rendered), .type: .object(type.context), .optional: .bool(optional)] }
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
                [.label: .string($0.label.rendered), .nameLiteral: .string(Naming.stringLiteralBody($0.name)), .isEnum: .bool($0.isEnum),
                 .arrayStyle: .optional($0.arrayStyle.map { .string($0.rawValue) })] as TemplateContext
            }
        }
        return [
            .methodName: .string(op.methodName.rendered), .doc: .strings(op.doc), .deprecated: .bool(op.deprecated),
            .operationID: .string(Naming.stringLiteralBody(op.operationID)), .verb: .string(op.verb),
            .pathTemplate: .string(Naming.stringLiteralBody(op.pathTemplate)),
            .arguments: .objects(arguments.map(\.context)),
            .pathParameters: .objects(ContextValue.withLast(parameters(.path))),
            .queryParameters: .objects(parameters(.query)),
            .headerParameters: .objects(parameters(.header)),
            .jsonBody: .bool(op.body?.kind == .json), .bytesBody: .bool(op.body?.kind == .bytes), .multipartBody: .bool(op.body?.kind == .multipart),
            .bodyContentType: .string(Naming.stringLiteralBody(op.body?.contentType ?? "")),
            .parts: .objects((op.body?.parts ?? []).map {
                [.label: .string($0.label.rendered), .nameLiteral: .string(Naming.stringLiteralBody($0.name)), .isFile: .bool($0.isFile)]
            }),
            .successJSON: .bool(op.success.kind == .json), .successBytes: .bool(op.success.kind == .bytes), .successEmpty: .bool(op.success.kind == .empty),
            .successType: .object(op.success.type.context),
            .successStatuses: .string(ContextValue.list(op.success.statuses)),
            .successOptional: .bool(!op.success.emptyStatuses.isEmpty), .emptyStatuses: .string(ContextValue.list(op.success.emptyStatuses)),
            .accept: .string(Naming.stringLiteralBody(op.success.accept)),
            .errorCodes: .string(ContextValue.list(op.errorCodes)),
            .errorClasses: .string(ContextValue.list(op.errorClasses)),
            .errorModel: .object(errorModel),
            .anonymous: .bool(op.anonymous),
            .pagination: .optional(op.pagination.map { .object(pagination($0, of: op, arguments: arguments)) }),
        ]
    }

    private static func pagination(_ p: PaginationDeclaration, of op: OperationDeclaration, arguments: [Argument]) -> TemplateContext {
        let isPage = p.kind == .page, isToken = p.kind == .token
        return [
            .methodName: .string(op.methodName.rendered), .deprecated: .bool(op.deprecated),
            .listAllName: .string(p.listAllName.rendered), .isPage: .bool(isPage), .isToken: .bool(isToken),
            .elementType: .object(p.elementType.context),
            // The listAll signature: the method's arguments but the cursor's.
            .arguments: .objects(arguments.filter { $0.label != p.cursorLabel }.map(\.context)),
            // The call to the method: every argument, the cursor's from the cursor.
            .forward: .objects(arguments.map { argument -> TemplateContext in
                let isCursor = argument.label == p.cursorLabel
                return [.label: .string(argument.label.rendered), .isCursor: .bool(isCursor), .isPageCursor: .bool(isCursor && isPage),
                        .isTokenCursor: .bool(isCursor && isToken)]
            }),
            .items: .string(p.itemsProperty.rendered), .itemsOptional: .bool(p.itemsOptional),
            .pageNumber: .optional(p.pageNumberProperty.map { .string($0.rendered) }),
            .pageSize: .optional(p.pageSizeProperty.map { .string($0.rendered) }),
            .totalResults: .optional(p.totalResultsProperty.map { .string($0.rendered) }),
            .tokenContainer: .string(p.tokenContainer?.rendered ?? ""), .tokenContainerOptional: .bool(p.tokenContainerOptional),
            .tokenProperty: .string(p.tokenProperty?.rendered ?? ""),
        ]
    }
}
