// Companies and connections: the same paths and shapes in both documents, served once
// and shown through the synchronous module's models.
import CodatSyncPayables
import Foundation

extension SandboxCore {
    static func registerCompanyRoutes(into table: inout RouteTable, store: SandboxStore) {
        table.add(.shared, "GET", "/companies", "list-companies") { request in
            let page = try PageRequest(request)
            let companies = store.withState { $0.orderedCompanies.map(\.companyJSON) }
            return try Projection.response(Companies.self, page.page(companies, path: "/companies"))
        }

        table.add(.shared, "POST", "/companies", "create-company") { request in
            let body = try request.decode(CompanyRequestBody.self)
            let id = SandboxJSON.newId()
            let now = CodatDate.now()
            var company: SandboxJSON = [
                "id": .string(id), "name": .string(Self.cleanCompanyName(body.name)),
                "description": .string(body.description ?? ""), "redirect": .string("https://link.codat.io/company/\(id)"),
                "created": .string(now), "createdByUserName": "Codat Sandbox", "products": ["payables"],
                "referenceSubsidiaryCompanies": [],
            ]
            if let tags = body.tags { company["tags"] = .object(tags.mapValues(SandboxJSON.string)) }
            let state = CompanyState(
                company: company, connections: [], integration: nil, baseCurrency: "GBP",
                companyInfo: ["companyName": .string(body.name), "baseCurrency": "GBP"], pushOptions: [:])
            store.withState { $0.add(state) }
            return try Projection.response(Company.self, state.companyJSON)
        }

        table.add(.shared, "GET", "/companies/{companyId}", "get-company") { request in
            let company = try store.withCompany(request.parameter("companyId")) { $0.companyJSON }
            return try Projection.response(Company.self, company)
        }

        table.add(.shared, "PUT", "/companies/{companyId}", "replace-company") { request in
            let body = try request.decode(CompanyRequestBody.self)
            let company = try store.withCompany(request.parameter("companyId")) { state in
                state.company["name"] = .string(Self.cleanCompanyName(body.name))
                state.company["description"] = .string(body.description ?? "")
                state.company["tags"] = body.tags.map { .object($0.mapValues(SandboxJSON.string)) } ?? .null
                return state.companyJSON
            }
            return try Projection.response(Company.self, company)
        }

        table.add(.shared, "PATCH", "/companies/{companyId}", "update-company") { request in
            let body = try request.decode(CompanyUpdateRequest.self)
            let company = try store.withCompany(request.parameter("companyId")) { state in
                if let name = body.name { state.company["name"] = .string(Self.cleanCompanyName(name)) }
                if let description = body.description { state.company["description"] = .string(description) }
                if let tags = body.tags { state.company["tags"] = .object(tags.mapValues(SandboxJSON.string)) }
                return state.companyJSON
            }
            return try Projection.response(Company.self, company)
        }

        table.add(.shared, "DELETE", "/companies/{companyId}", "delete-company") { request in
            let id = request.parameter("companyId")
            try store.withCompany(id) { _ in }
            store.withState { $0.remove(company: id) }
            return .empty(status: 204)
        }

        table.add(.shared, "GET", "/companies/{companyId}/connections", "list-connections") { request in
            let page = try PageRequest(request)
            let connections = try store.withCompany(request.parameter("companyId")) { $0.connections }
            let path = "/companies/\(request.parameter("companyId"))/connections"
            return try Projection.response(Connections.self, page.page(connections, path: path))
        }

        table.add(.shared, "POST", "/companies/{companyId}/connections", "create-connection") { request in
            let body = try request.decode(CreateConnectionRequest.self)
            guard let key = body.platformKey, key.count == 4 else {
                throw SandboxError.badRequest("platformKey must be a 4-letter platform key (for instance gbol for Xero).")
            }
            let companyId = request.parameter("companyId")
            let connection = try store.withCompany(companyId) { state in
                let integration = SandboxIntegration(platformKey: key)
                let id = SandboxJSON.newId()
                let connection: SandboxJSON = [
                    "id": .string(id), "integrationId": .string(SandboxJSON.newId()), "integrationKey": .string(key),
                    "sourceId": .string(SandboxJSON.newId()),
                    "platformName": .string(integration?.platformName ?? key),
                    "linkUrl": .string("https://link-api.codat.io/companies/\(companyId)/connections/\(id)/start"),
                    "status": "PendingAuth", "created": .string(CodatDate.now()), "sourceType": "Accounting",
                ]
                state.connections.append(connection)
                if state.integration == nil { state.integration = integration }
                return connection
            }
            return try Projection.response(Connection.self, connection)
        }

        table.add(.shared, "GET", "/companies/{companyId}/connections/{connectionId}", "get-connection") { request in
            let connection = try store.withConnection(request.parameter("companyId"), request.parameter("connectionId")) {
                $0.connection(request.parameter("connectionId"))
            }
            return try Projection.response(Connection.self, connection ?? [:])
        }

        table.add(.shared, "DELETE", "/companies/{companyId}/connections/{connectionId}", "delete-connection") { request in
            let connectionId = request.parameter("connectionId")
            try store.withConnection(request.parameter("companyId"), connectionId) { state in
                state.connections.removeAll { $0.id == connectionId }
            }
            return .empty(status: 200)
        }

        table.add(.shared, "PATCH", "/companies/{companyId}/connections/{connectionId}", "unlink-connection") { request in
            let body = try request.decode(UnlinkConnectionRequest.self)
            let connectionId = request.parameter("connectionId")
            let connection = try store.withConnection(request.parameter("companyId"), connectionId) { state -> SandboxJSON in
                guard let index = state.connections.firstIndex(where: { $0.id == connectionId }) else { return [:] }
                if let status = body.status { state.connections[index]["status"] = .string(status.rawValue) }
                return state.connections[index]
            }
            return try Projection.response(Connection.self, connection)
        }
    }

    private static let allowedNameCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-',&@.?! \t\n\r\u{0B}\u{0C}")

    /// create-company: "If forbidden characters (see `name` pattern) are present in the request,
    /// a company will be created with the forbidden characters removed."
    static func cleanCompanyName(_ name: String) -> String {
        // The `name` pattern of both documents: ^[A-Za-z0-9\s\-',&@.,?!\s]+$; anything else is forbidden.
        return String(name.unicodeScalars.filter { allowedNameCharacters.contains($0) })
    }
}
