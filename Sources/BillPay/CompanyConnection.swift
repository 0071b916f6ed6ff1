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
