import AsyncHTTPClient
import CodatSandbox
import CodatSyncPayables
import OpenAPIRuntime
import OpenAPIURLSession
import PayablesAsyncHTTPClient
import XCTest

/// The two transports the client tests run over: `URLSession` (Apple platforms) and
/// AsyncHTTPClient (Linux servers), each built as README "Transports" says to build it.
enum TransportKind: String, CaseIterable, Sendable {
    case urlSession = "URLSession"
    case asyncHTTPClient = "AsyncHTTPClient"

    /// A new transport; its AsyncHTTPClient is shut down when the test ends.
    func make(_ test: XCTestCase) -> any ClientTransport {
        switch self {
        case .urlSession:
            return URLSessionTransport()
        case .asyncHTTPClient:
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: PayablesAsyncHTTPClient.configuration)
            test.addTeardownBlock { try? await client.shutdown() }
            return PayablesAsyncHTTPClient.transport(client: client)
        }
    }
}

extension XCTestCase {
    /// An open bill of the company with at least 20 due, and a payment account in its currency.
    func payableBill(_ codat: CodatSyncPayables.Client, _ company: SandboxCompany) async throws -> (bill: String, account: String) {
        let bills = try await codat.bills.list(companyId: company.id, connectionId: company.connectionId!, query: "status=Open")
        let bill = try XCTUnwrap(bills.results?.first { ($0.amountDue ?? 0) >= 20 })
        let options = try await codat.billPayments.getPaymentOptions(companyId: company.id, connectionId: company.connectionId!)
        let account = try XCTUnwrap(options.bankAccounts?.first { $0.currency == bill.currency }?.id)
        return (bill.id!, account)
    }
}
