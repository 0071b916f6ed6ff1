// Lists a company's open bills through the generated synchronous client.
// Usage: ListBills SERVER_URL API_KEY
import CodatSyncPayables
import Foundation
import OpenAPIURLSession

let arguments = CommandLine.arguments
guard arguments.count == 3, let server = URL(string: arguments[1]) else {
    print("usage: ListBills SERVER_URL API_KEY")
    exit(2)
}
let codat = CodatSyncPayables.Client(
    serverURL: server,
    authHeader: "Basic " + Data(arguments[2].utf8).base64EncodedString(),
    transport: URLSessionTransport()
)
do {
    let companies = try await codat.companies.list()
    guard let company = companies.results?.first else {
        print("error: no company")
        exit(1)
    }
    let companyId = company.id
    let connections = try await codat.connections.list(companyId: companyId)
    guard let connectionId = connections.results?.first?.id else {
        print("error: no connection")
        exit(1)
    }
    var count = 0
    for try await bill in codat.bills.listAll(companyId: companyId, connectionId: connectionId, query: "status=Open") {
        count += 1
        print("\(bill.reference ?? "-")\t\(bill.currency)\t\(bill.amountDue ?? 0)")
    }
    print("\(count) open bills of \(company.name)")
} catch {
    print("error: \(error)")
    exit(1)
}
