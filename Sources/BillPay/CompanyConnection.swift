/// The company and the accounting connection a workflow acts on, with the integration behind it.
public struct CompanyConnection: Hashable, Sendable, CustomStringConvertible {
    /// The Codat company (the SMB).
    public var companyId: String
    /// The company's name in Codat.
    public var companyName: String?
    /// The accounting connection the bills and payments go through.
    public var connectionId: String
    /// The connection's `platformName` ("Xero", "Oracle NetSuite", …).
    public var platformName: String?
    /// The integration the platform name denotes; its limits drive the validator.
    public var integration: Integration

    /// `integration` defaults to the one `platformName` denotes (`.other` without one).
    public init(companyId: String, companyName: String? = nil, connectionId: String, platformName: String? = nil,
                integration: Integration? = nil) {
        self.companyId = companyId
        self.companyName = companyName
        self.connectionId = connectionId
        self.platformName = platformName
        self.integration = integration ?? platformName.map(Integration.init(platformName:)) ?? .other
    }

    public var description: String {
        "\(companyName ?? companyId) (company \(companyId), connection \(connectionId), \(platformName ?? integration.rawValue))"
    }
}

/// The company or connection to work on could not be chosen.
public enum CompanySelectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server lists no company.
    case noCompanies
    /// The company has no connection.
    case noConnections(companyId: String)
    /// A connection id was given without its company.
    case connectionWithoutCompany(connectionId: String)
    /// The company has no connection with this id.
    case connectionNotFound(companyId: String, connectionId: String)

    public var description: String {
        switch self {
        case .noCompanies: return "the server lists no company"
        case let .noConnections(companyId): return "company \(companyId) has no connection"
        case let .connectionWithoutCompany(connectionId): return "connection \(connectionId) was given without its company id"
        case let .connectionNotFound(companyId, connectionId): return "company \(companyId) has no connection \(connectionId)"
        }
    }
}

extension CompanyConnection {
    /// A company as both APIs list it.
    struct Listed {
        var id: String
        var name: String?
    }

    /// Chooses `companyId` (default: the first company listed) and `connectionId` (default: the
    /// company's first connection), through either API's client (`AsyncBillPay.connect`,
    /// `SyncBillPay.connect`): `company` gets one by id, `firstCompany` lists the first,
    /// `connections` lists a company's connections (id and platform name).
    static func select(
        companyId: String?, connectionId: String?,
        company: (String) async throws -> Listed,
        firstCompany: () async throws -> Listed?,
        connections: (String) async throws -> [(id: String, platformName: String?)]
    ) async throws -> CompanyConnection {
        if companyId == nil, let connectionId { throw CompanySelectionError.connectionWithoutCompany(connectionId: connectionId) }
        let chosen: Listed
        if let companyId {
            chosen = try await company(companyId)
        } else {
            guard let first = try await firstCompany() else { throw CompanySelectionError.noCompanies }
            chosen = first
        }
        let listed = try await connections(chosen.id)
        let connection: (id: String, platformName: String?)
        if let connectionId {
            guard let match = listed.first(where: { $0.id == connectionId }) else {
                throw CompanySelectionError.connectionNotFound(companyId: chosen.id, connectionId: connectionId)
            }
            connection = match
        } else {
            guard let first = listed.first else { throw CompanySelectionError.noConnections(companyId: chosen.id) }
            connection = first
        }
        return CompanyConnection(companyId: chosen.id, companyName: chosen.name, connectionId: connection.id,
                                 platformName: connection.platformName)
    }
}
