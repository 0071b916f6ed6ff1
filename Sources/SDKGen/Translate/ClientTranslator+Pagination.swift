import OpenAPIDocument

/// `listAll` methods for list operations, decided on JSON names (the document's, not Swift's):
/// page-based when the operation takes the page parameter (`VendorExtensions.pageParameterName`,
/// an integer query parameter) and answers an object with a `results` array; continuation-token
/// based when it takes a `continuationToken` query parameter and its response carries
/// `<object>.continuationToken` (a string) beside the results.
extension ModelTranslator {
    /// Runs once every type is declared (the response types' properties are looked up).
    func addPagination(_ client: inout ClientDeclaration) {
        for r in client.resources.indices {
            var methodNames = NameRegistry(reserved: Set(client.resources[r].operations.map(\.methodName.identifier)).union(["core", "init"]))
            for o in client.resources[r].operations.indices {
                let op = client.resources[r].operations[o]
                guard var pagination = paginationShape(op) else { continue }
                let method = op.methodName.identifier
                pagination.listAllName = SwiftName(methodNames.claim(method == "list" ? "listAll" : method + "All"))
                client.resources[r].operations[o].pagination = pagination
            }
        }
    }

    private func paginationShape(_ op: OperationDeclaration) -> PaginationDeclaration? {
        guard op.success.kind == .json, op.success.emptyStatuses.isEmpty, let typeName = op.success.type.declaredName,
              let results = declaredProperty(typeName, jsonName: "results"), case let .array(element) = results.type else { return nil }
        let query = op.parameters.filter { $0.location == .query }
        if let page = query.first(where: { $0.name == extensions.pageParameterName }), isInteger(page.type) {
            func property(_ jsonName: String) -> SwiftName? {
                guard let p = declaredProperty(typeName, jsonName: jsonName), isInteger(p.type) else { return nil }
                return p.name
            }
            return PaginationDeclaration(kind: .page, listAllName: op.methodName, elementType: element, itemsProperty: results.name,
                                         itemsOptional: results.optional, cursorLabel: page.label,
                                         pageNumberProperty: property("pageNumber"), pageSizeProperty: property("pageSize"),
                                         totalResultsProperty: property("totalResults"),
                                         tokenContainer: nil, tokenContainerOptional: false, tokenProperty: nil)
        }
        if let token = query.first(where: { $0.name == "continuationToken" }), case let .structure(response)? = declaration(named: typeName) {
            for container in response.properties {
                guard let containerType = container.type.declaredName,
                      let tokenProperty = declaredProperty(containerType, jsonName: "continuationToken"), tokenProperty.type == .string else { continue }
                return PaginationDeclaration(kind: .token, listAllName: op.methodName, elementType: element, itemsProperty: results.name,
                                             itemsOptional: results.optional, cursorLabel: token.label,
                                             pageNumberProperty: nil, pageSizeProperty: nil, totalResultsProperty: nil,
                                             tokenContainer: container.name, tokenContainerOptional: container.optional, tokenProperty: tokenProperty.name)
            }
        }
        return nil
    }

    private func isInteger(_ type: TypeRef) -> Bool {
        if case let .builtin(builtin) = type { return builtin.isInteger }
        return false
    }
}
