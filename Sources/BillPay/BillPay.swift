// The Bill Pay workflows of Codat's guides over `CodatSyncPayables` and `CodatSyncPayablesV1`.
//
// Two solutions, as in the guides:
//
// - **Synchronous Bill Pay** (`CodatSyncPayables`): `SyncBillPay` lists outstanding bills,
//   creates a bill after `BillCreationCheck` (supplier exists, lines mapped), uploads, lists and
//   downloads attachments, lists payment accounts, creates bank accounts, and pays one bill in
//   full or in part (`SyncBillPaymentRequest`: the simplified model and the foreign-currency rule).
// - **Asynchronous Bill Pay** (`CodatSyncPayablesV1`): `AsyncBillPay` lists bank accounts and
//   bills, creates payment accounts (`NewPaymentAccount`: create-account or create-bank-account,
//   account type from `BillPayMethod`), pays what `BillPaymentBuilder` builds (one bill in full or
//   in part, several bills of one supplier, a batch across suppliers, a credit note allocated
//   alone or with a partial payment), creates credit notes, deletes bills and bill payments.
//   Every change returns a `PushHandle` whose `wait()` polls the push operation to its end.
//   `PaymentValidator` checks every payment before it is sent.
//
// A payment is an intent the caller names (`PaymentIntentID`); it is recorded exactly once or
// reported unknown with what resumes it: `Delivery/AtMostOnce.swift` says how and on what
// assumptions about Codat; `PaymentJournal` keeps the resume data.
//
// Files import one generated module each: both declare `Bill`, `BillPayment`, `SupplierRef`…,
// and a file that saw both could not name them (the delivery file uses module selectors,
// `CodatSyncPayables.Bill`). Types shared by both solutions (`Integration`, `BillPayMethod`,
// `CompanyConnection`, `PaymentIntentID`, the journal, the rules and errors) import neither.
