import CodatSyncPayables
import Foundation

/// Checks a bill before it is created in the synchronous API: its supplier must exist, and each
/// line must be mapped to an account or a tax rate from "get bill mapping options".
///
/// It takes the supplier list and the mapping options as values; fetching them is the workflow's.
public struct BillCreationCheck: Hashable, Sendable {
    /// The company's suppliers (list suppliers).
    public var suppliers: [Supplier]
    /// The accounts and tax rates a bill's lines may use (get bill mapping options).
    public var mappingOptions: BillMappingOptions

    public init(suppliers: [Supplier], mappingOptions: BillMappingOptions) {
        self.suppliers = suppliers
        self.mappingOptions = mappingOptions
    }

    /// Every problem with the bill, none when it can be created.
    public func problems(in bill: BillPrototype) -> [BillCreationProblem] {
        var problems: [BillCreationProblem] = []
        let supplierId = bill.supplierRef.id
        if let supplier = suppliers.first(where: { $0.id == supplierId }) {
            if supplier.status == .archived { problems.append(.supplierArchived(supplierId: supplierId)) }
        } else {
            problems.append(.supplierNotFound(supplierId: supplierId))
        }

        // Archived options are listed too, but a new bill should not use them.
        let accounts = Set((mappingOptions.accounts ?? []).filter { $0.status != .archived }.compactMap(\.id))
        let taxRates = Set((mappingOptions.taxRates ?? []).filter { $0.status != .archived }.compactMap(\.id))
        for (i, line) in (bill.lineItems ?? []).enumerated() {
            let accountId = line.accountRef?.id.flatMap { $0.isEmpty ? nil : $0 }
            let taxRateId = line.taxRateRef?.id.flatMap { $0.isEmpty ? nil : $0 }
            if accountId == nil, taxRateId == nil {
                problems.append(.lineWithoutAccountOrTaxRate(lineIndex: i))
            }
            if let accountId, !accounts.contains(accountId) {
                problems.append(.accountNotInMappingOptions(lineIndex: i, accountId: accountId))
            }
            if let taxRateId, !taxRates.contains(taxRateId) {
                problems.append(.taxRateNotInMappingOptions(lineIndex: i, taxRateId: taxRateId))
            }
        }
        return problems
    }

    /// Throws `BillCreationError` with every problem, if there is any.
    public func validate(_ bill: BillPrototype) throws {
        let found = problems(in: bill)
        if !found.isEmpty { throw BillCreationError(problems: found) }
    }
}

/// Why a bill cannot be created as it is.
public enum BillCreationProblem: Hashable, Sendable, CustomStringConvertible {
    /// No supplier with this id: create the supplier first.
    case supplierNotFound(supplierId: String)
    /// The supplier is archived.
    case supplierArchived(supplierId: String)
    /// A line names neither an account nor a tax rate.
    case lineWithoutAccountOrTaxRate(lineIndex: Int)
    /// A line's account is not an active account of the bill mapping options.
    case accountNotInMappingOptions(lineIndex: Int, accountId: String)
    /// A line's tax rate is not an active tax rate of the bill mapping options.
    case taxRateNotInMappingOptions(lineIndex: Int, taxRateId: String)

    public var description: String {
        switch self {
        case let .supplierNotFound(id):
            return "supplier \(id) does not exist: create it before the bill"
        case let .supplierArchived(id):
            return "supplier \(id) is archived"
        case let .lineWithoutAccountOrTaxRate(i):
            return "lineItems[\(i)] has neither an account nor a tax rate: map it with the bill mapping options"
        case let .accountNotInMappingOptions(i, id):
            return "lineItems[\(i)]: account \(id) is not an active account of the bill mapping options"
        case let .taxRateNotInMappingOptions(i, id):
            return "lineItems[\(i)]: tax rate \(id) is not an active tax rate of the bill mapping options"
        }
    }
}

/// A bill that cannot be created, with every problem found.
public struct BillCreationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every problem found, in the order of the bill.
    public var problems: [BillCreationProblem]

    public var description: String {
        "bill cannot be created:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
