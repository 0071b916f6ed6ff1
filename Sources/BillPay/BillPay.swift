// The Bill Pay workflows of Codat's guides over `CodatSyncPayables` and `CodatSyncPayablesV1`.
//
// Two solutions, as in the guides:
//
// - **Asynchronous Bill Pay** (`CodatSyncPayablesV1`): `BillPaymentBuilder` builds the bill
//   payments the guides show (one bill in full or in part, several bills of one supplier, a
//   batch across suppliers, a credit note allocated alone or with a partial payment),
//   `PaymentValidator` checks any payment against the rules of a bill payment and the
//   integration's limits, `BillCreditNote.toCreate(…)` and `NewPaymentAccount` build the
//   credit notes and payment accounts to create.
// - **Synchronous Bill Pay** (`CodatSyncPayables`): `SyncBillPaymentRequest` builds the
//   simplified payment of one bill, applying the foreign-currency rule, and `BillCreationCheck`
//   checks a bill against the supplier list and the bill mapping options before it is created.
//
// Files import one generated module each: both declare `Bill`, `BillPayment`, `SupplierRef`…,
// and a file that saw both could not name them. Types shared by both solutions
// (`Integration`, `BillPayMethod`, the rules and errors) import neither.
