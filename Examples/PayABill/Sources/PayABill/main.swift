// Pays one outstanding bill through BillPay, against a sandbox started in this process.
// Point `serverURL` at https://api.codat.io and use your own key to talk to Codat instead.
import BillPay
import CodatSandbox
import CodatSyncPayables
import Foundation
import OpenAPIURLSession

let sandbox = try await CodatSandbox.start()
let codat = CodatSyncPayables.Client(
    serverURL: sandbox.baseURL,
    authHeader: "Basic " + Data("example-api-key".utf8).base64EncodedString(),
    transport: URLSessionTransport()
)
do {
    let billPay = try await SyncBillPay.connect(client: codat)   // first company, first connection
    let bills = try await billPay.outstandingBills()
    let accounts = try await billPay.paymentAccounts()
    guard let (bill, account) = bills.lazy.compactMap({ bill in
        SyncBillPay.paymentAccount(in: bill.currency, among: accounts).map { (bill, $0) }
    }).first, let billId = bill.id else {
        fatalError("no outstanding bill with a payment account in its currency")
    }
    print("paying bill \(billId): \(bill.amountDue ?? 0) \(bill.currency) due, from account \(account.name ?? account.id ?? "?")")
    // The payment intent: an id this program keeps (here a fixed one; a real caller stores its own
    // payment id, or a UUID, before calling). Paying the same intent again never pays twice.
    let intent = PaymentIntentID("payabill-example-\(billId)")
    let receipt = try await billPay.payBill(bill, from: account, date: "2024-06-01", reference: "PayABill example", intent: intent)
    print("intent \(intent): Idempotency-Key \(receipt.delivery.idempotencyKeys.joined(separator: ", ")), \(receipt.delivery.sends) send")
    let after = try await billPay.bill(id: billId)
    print("paid \(receipt.request.payment.amount) \(bill.currency): bill \(billId) is now \(after?.status.rawValue ?? "?"), \(after?.amountDue ?? 0) due")
    await sandbox.stop()
    guard after?.status == .paid else { exit(1) }
} catch {
    print("error: \(error)")
    await sandbox.stop()
    exit(1)
}
