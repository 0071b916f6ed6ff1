#!/usr/bin/env python3
"""Writes the sandbox's seed data, one JSON file per seeded company, into Resources/Seed/.

Sources (read at extraction time only; the sandbox never reads them at run time):
  - the guides' payloads in ../shared/fixtures/seed-examples/ (see its index.json);
  - the examples of specs/Codat-Sync-Payables-v1.yaml, taken per integration tab
    (Xero, QuickBooks Online, Oracle NetSuite, Sage Intacct, MYOB);
  - the examples of specs/Codat-Sync-Payables.yaml (mapping options, suppliers, bank account).

On top of those the script adds what the guides' payments refer to but never show
(the bills, suppliers, accounts and credit notes behind the ids of their payloads, with
amounts that make the guides' own payments valid), and a few demo bills per company so
that each company has Open and PartiallyPaid bills in two currencies from several suppliers.

Run from the package root:  python3 Sources/CodatSandbox/Resources/extract_seed.py [SHARED_DIR]
"""
import copy
import json
import os
import sys
import uuid

import yaml

ROOT = os.getcwd()
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared")
FIXTURES = os.path.join(SHARED, "fixtures", "seed-examples")
OUT = os.path.join(ROOT, "Sources", "CodatSandbox", "Resources", "Seed")

V1 = yaml.safe_load(open(os.path.join(ROOT, "specs", "Codat-Sync-Payables-v1.yaml")))
SYNC = yaml.safe_load(open(os.path.join(ROOT, "specs", "Codat-Sync-Payables.yaml")))


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def examples(doc, path, method="get", code="200"):
    op = doc["paths"][path][method]
    return op["responses"][code]["content"]["application/json"].get("examples", {})


def v1_results(path, tab):
    ex = examples(V1, path).get(tab)
    return copy.deepcopy(ex["value"]["results"]) if ex else []


def v1_option(kind, tab):
    path = "/companies/{companyId}/connections/{connectionId}/options/" + kind
    ex = examples(V1, path)
    chosen = ex.get(tab) or ex.get("Sandbox") or next(iter(ex.values()))
    return copy.deepcopy(chosen["value"])


def stable_uuid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://codat-sandbox.local/" + name))


def supplier(id, name, currency, **extra):
    s = {"id": id, "supplierName": name, "status": "Active", "defaultCurrency": currency,
         "addresses": [], "sourceModifiedDate": "2023-01-10T09:00:00Z"}
    s.update(extra)
    return s


def bank_account(id, name, currency, account_type="Debit", **extra):
    """An account the Codat way: a chart-of-accounts entry flagged isBankAccount, with the
    bank fields of both documents (accountName, accountType, sortCode ...) beside it."""
    a = {"id": id, "nominalCode": extra.pop("nominalCode", None), "name": name, "accountName": name,
         "fullyQualifiedCategory": "Asset.Current.Bank", "fullyQualifiedName": "Asset.Current.Bank." + name,
         "currency": currency, "currentBalance": 0, "type": "Asset" if account_type == "Debit" else "Liability",
         "status": "Active", "isBankAccount": True, "accountType": account_type,
         "accountNumber": extra.pop("accountNumber", None), "sortCode": extra.pop("sortCode", None),
         "validDatatypeLinks": [], "sourceModifiedDate": "2022-10-23T00:00:00Z", "metadata": {"isDeleted": False}}
    a.update(extra)
    return {k: v for k, v in a.items() if v is not None}


def ledger_account(id, name, type, currency, **extra):
    a = {"id": id, "nominalCode": extra.pop("nominalCode", None), "name": name,
         "fullyQualifiedCategory": type, "fullyQualifiedName": type + "." + name, "currency": currency,
         "currentBalance": 0, "type": type, "status": "Active", "isBankAccount": False,
         "validDatatypeLinks": [], "sourceModifiedDate": "2022-10-23T00:00:00Z", "metadata": {"isDeleted": False}}
    a.update(extra)
    return {k: v for k, v in a.items() if v is not None}


def bill(id, supplier_ref, currency, lines, issue, due, status=None, paid=0, reference=None,
         modified="2023-04-17T14:51:35Z", account="expense", tax=None):
    """A v1-shaped bill whose totals add up: each line is (description, net, tax)."""
    items = []
    for description, net, tax_amount in lines:
        item = {"description": description, "unitAmount": net, "quantity": 1, "discountAmount": 0,
                "subTotal": net, "taxAmount": tax_amount, "totalAmount": round(net + tax_amount, 2),
                "discountPercentage": 0, "accountRef": {"id": account}, "trackingCategoryRefs": [],
                "isDirectCost": False}
        if tax:
            item["taxRateRef"] = {"id": tax}
        items.append(item)
    sub = round(sum(l[1] for l in lines), 2)
    tax_total = round(sum(l[2] for l in lines), 2)
    total = round(sub + tax_total, 2)
    due_amount = round(total - paid, 2)
    if status is None:
        status = "Paid" if due_amount == 0 else ("PartiallyPaid" if paid else "Open")
    b = {"id": id, "reference": reference or ("REF-" + id[:8].upper()), "supplierRef": supplier_ref,
         "purchaseOrderRefs": [], "issueDate": issue, "dueDate": due, "currency": currency, "currencyRate": 1,
         "lineItems": items, "withholdingTax": [], "status": status, "subTotal": sub, "taxAmount": tax_total,
         "totalAmount": total, "amountDue": due_amount, "modifiedDate": modified,
         "sourceModifiedDate": modified.rstrip("Z"), "paymentAllocations": [], "metadata": {"isDeleted": False}}
    return b


def credit_note(prototype, id, currency=None, remaining=None, status="Submitted"):
    """A credit note created from a guide's create payload: unallocated, so remainingCredit is the total."""
    c = copy.deepcopy(prototype)
    c["id"] = id
    if currency:
        c["currency"] = currency
    c["remainingCredit"] = c["totalAmount"] if remaining is None else remaining
    c["status"] = status
    c.setdefault("allocatedOnDate", None)
    c.setdefault("modifiedDate", "2023-04-20T10:00:00Z")
    c.setdefault("sourceModifiedDate", "2023-04-20T10:00:00")
    c.setdefault("metadata", {"isDeleted": False})
    return c


def ref(s):
    return {"id": s["id"], "supplierName": s["supplierName"]}


def merge(records, extra):
    """Records by id; a later record with the same id replaces the earlier one, in place."""
    order, by_id = [], {}
    for r in records + extra:
        if r["id"] not in by_id:
            order.append(r["id"])
        by_id[r["id"]] = r
    return [by_id[i] for i in order]


def demo_bills(prefix, suppliers, base, foreign, account, tax=None):
    """Four Open and two PartiallyPaid bills over three suppliers and two currencies."""
    s = [ref(x) for x in suppliers]
    out = []
    plan = [
        (s[0], base, [("Office supplies", 180.00, 36.00)], 0, "2024-01-05", "2024-02-04", "2024-01-05T10:00:00Z"),
        (s[1], base, [("Consulting, January", 1200.00, 240.00)], 0, "2024-01-12", "2024-02-11", "2024-01-12T10:00:00Z"),
        (s[2 % len(s)], foreign, [("Software licences", 499.00, 0.00)], 0, "2024-02-01", "2024-03-02", "2024-02-01T10:00:00Z"),
        (s[0], foreign, [("Freight", 320.50, 0.00), ("Insurance", 79.50, 0.00)], 0, "2024-02-15", "2024-03-16", "2024-02-15T10:00:00Z"),
        (s[1], base, [("Maintenance contract", 2500.00, 500.00)], 1000.00, "2023-11-20", "2023-12-20", "2023-12-01T10:00:00Z"),
        (s[2 % len(s)], foreign, [("Hosting, Q4", 900.00, 0.00)], 250.00, "2023-10-01", "2023-10-31", "2023-11-02T10:00:00Z"),
    ]
    for n, (sup, currency, lines, paid, issue, due, modified) in enumerate(plan, start=1):
        out.append(bill(stable_uuid(prefix + "/demo-bill/" + str(n)) if prefix != "num" else None, sup, currency, lines,
                        issue + "T00:00:00", due + "T00:00:00", paid=paid, modified=modified, account=account, tax=tax,
                        reference="DEMO-%d" % n))
    return out


def numbered(bills, start):
    for n, b in enumerate(bills):
        if b["id"] is None:
            b["id"] = str(start + n)
            b["reference"] = b["reference"]
    return bills


def company(key, name, company_id, connection_id, integration_key, platform, base, created="2023-01-09T09:00:00Z"):
    return {
        "integration": key,
        "company": {
            "id": company_id, "name": name, "description": "Codat sandbox company connected to " + platform,
            "redirect": "https://link.codat.io/company/" + company_id, "lastSync": "2023-04-17T14:51:35Z",
            "created": created, "createdByUserName": "Codat Sandbox", "products": ["payables"],
            "tags": {"integration": key}, "referenceSubsidiaryCompanies": [],
        },
        "connection": {
            "id": connection_id, "integrationId": stable_uuid("integration/" + integration_key),
            "integrationKey": integration_key, "sourceId": stable_uuid("source/" + integration_key),
            "platformName": platform,
            "linkUrl": "https://link-api.codat.io/companies/%s/connections/%s/start" % (company_id, connection_id),
            "status": "Linked", "lastSync": "2023-04-17T14:51:35Z", "created": created, "sourceType": "Accounting",
        },
        "baseCurrency": base,
    }


def company_info(name, base):
    info = copy.deepcopy(examples(V1, "/companies/{companyId}/data/info")["Example 1"]["value"])
    info["companyName"] = name
    info["companyLegalName"] = name
    info["baseCurrency"] = base
    return info


def options(tab):
    kinds = {"bills": "bills", "billPayments": "billPayments", "billCreditNotes": "billCreditNotes",
             "suppliers": "suppliers", "chartOfAccounts": "chartOfAccounts", "bankAccounts": "bankAccounts"}
    return {k: v1_option(v, tab) for k, v in kinds.items()}


DATA = "/companies/{companyId}/data/"
SYNC_BASE = "/companies/{companyId}/connections/{connectionId}/payables/"


def v1_data(tab):
    return {kind: v1_results(DATA + kind, tab) for kind in
            ["bills", "suppliers", "accounts", "billCreditNotes", "billPayments", "paymentMethods", "taxRates",
             "trackingCategories"]}


def tax_rate(id, name, rate, code=None):
    return {"id": id, "name": name, "code": code or id, "effectiveTaxRate": rate, "totalTaxRate": rate,
            "status": "Active", "components": [{"name": name, "rate": rate, "isCompound": False}],
            "modifiedDate": "2023-01-10T09:00:00Z", "validDatatypeLinks": [], "metadata": {"isDeleted": False}}


# ---------------------------------------------------------------------------------------------- Xero
def xero():
    c = company("xero", "Sandbox Xero Ltd", "8a210b68-6988-11ed-a1eb-0242ac120002",
                "2e9d2c44-f675-40ba-8049-353bfcb5e171", "gbol", "Xero", "GBP")
    d = v1_data("Xero")
    power = supplier("dec56ceb-65e9-43b3-ac98-7fe09eb37e31", "PowerDirect", "GBP")
    swanston = supplier("3a0d40a2-2698-4cf5-b7b2-30133c632ab6", "Swanston Security", "GBP")
    pc = supplier("cf8fa320-a527-496c-823e-22dd069d29e6", "PC Complete", "GBP")
    diisr = supplier("1262c350-fe0f-40ec-aeff-41c95b4a45af", "DIISR - Small Business Services", "GBP")
    locks, eleven = d["suppliers"][0], d["suppliers"][1]
    d["suppliers"] = merge(d["suppliers"], [power, swanston, pc, diisr])

    # The guides' bill to pay (seed-00x-bill-to-pay-xero), then the bills their payments name.
    to_pay = fixture("seed-002-bill-to-pay-xero.json")
    second = bill("2175c381-d323-4e20-8c94-7680ea7f85d3", ref(power), "GBP", [("Monthly gas", 103.43, 5.17)],
                  "2023-02-12T00:00:00", "2023-02-22T00:00:00", account="d50842c3-af67-4233-b8c9-df3180f5b7bd",
                  tax="RRINPUT", reference="RPT445-2")
    batch = [bill(i, ref(s), "GBP", [(desc, net, 0.0)], "2022-08-20T00:00:00", "2022-09-20T00:00:00",
                  account="cba6527d-f102-4538-b421-e483233e9d5a", reference=r)
             for i, s, desc, net, r in [
                 ("0394819c-b784-454d-991c-c4711b9aca12", locks, "Replacement locks", 120.0, "LK-2201"),
                 ("428e3e38-e8fb-4c56-91b5-dd09dc2e6505", eleven, "Staff kitchen supplies", 240.0, "7E-0822"),
                 ("76129542-2b2f-482f-b2b3-e612d9c1ba08", pc, "Keyboard and mice", 360.0, "PCC-9921")]]
    # Credit note allocation (seed-00x-allocate-credit-note-xero): a 25.44 credit note and a 45.00 payment
    # settle this 70.44 bill.
    guarded = bill("8e65df54-4bbd-41f3-b241-8da2588be341", ref(swanston), "GBP",
                   [("Security guard, April", 58.70, 11.74)], "2023-04-30T00:00:00", "2023-05-30T00:00:00",
                   account="f96c9458-d724-47bf-8f74-a9d5726465ce", tax="INPUT2", reference="SS-0423")
    demo = demo_bills("xero", [power, swanston, pc], "GBP", "EUR", "46f9461e-788b-4906-8b74-d1ea17f6dc10", "INPUT2")
    d["bills"] = merge(d["bills"], [to_pay, second] + batch + [guarded] + demo)

    d["accounts"] = merge(d["accounts"], [
        bank_account("d96ffd74-2394-4666-81c4-eebb76e51e21", "Batch Payments Account", "GBP", nominalCode="091"),
        bank_account("94b02f61-f95f-4873-b5b7-651ff9707325", "Credit Allocation Clearing", "GBP", nominalCode="092"),
        bank_account("7bda9f44sr56", "Payables Bank Account", "GBP", nominalCode="093"),
        # From the synchronous document's examples (payment mapping options, create bank account).
        bank_account("3d5a8e00-d108-4045-8823-7f342676cffa", "Bank of Dave current account", "GBP",
                     nominalCode="1234567", accountNumber="12345678", sortCode="123456"),
        bank_account("fb623ab2-f6ff-4b22-b7d3-b7cc2a4aa0ea", "Plutus - Payables - Bank Account 12", "GBP",
                     nominalCode="22", accountNumber="0120 0440", sortCode="50-50-50"),
        bank_account(stable_uuid("xero/bank/eur"), "Euro Business Account", "EUR", nominalCode="094"),
        bank_account(stable_uuid("xero/bank/usd"), "US Dollar Account", "USD", nominalCode="095"),
        bank_account(stable_uuid("xero/card"), "Company Credit Card", "GBP", account_type="Credit", nominalCode="800"),
        ledger_account("1b6266d1-1e44-46c5-8eb5-a8f98e03124e", "Accounts payable", "Liability", "GBP", nominalCode="879-i"),
        ledger_account("46f9461e-788b-4906-8b74-d1ea17f6dc10", "Training", "Expense", "GBP", nominalCode="480"),
        ledger_account("f96c9458-d724-47bf-8f74-a9d5726465ce", "Security and IT support", "Expense", "GBP", nominalCode="485"),
        ledger_account("cba6527d-f102-4538-b421-e483233e9d5a", "Office expenses", "Expense", "GBP", nominalCode="453"),
        ledger_account("d50842c3-af67-4233-b8c9-df3180f5b7bd", "Light, power, heating", "Expense", "GBP", nominalCode="445"),
    ])
    d["taxRates"] = merge(d["taxRates"], [
        tax_rate("INPUT2", "20% (VAT on Expenses)", 20), tax_rate("RRINPUT", "5% (VAT on Expenses)", 5),
        tax_rate("d2939064-dd3a-4c0f-9865-a238c2193515", "VAT @ 20%", 20, "VAT20")])
    # The guides create this credit note and then allocate it: unallocated here.
    d["billCreditNotes"] = merge(d["billCreditNotes"], [
        credit_note(fixture("seed-002-create-credit-note-xero.json"), "ee8bec08-2be8-40ba-acd0-d53d5df11235")])
    c.update(records=d, companyInfo=company_info(c["company"]["name"], "GBP"), pushOptions=options("Xero"))
    return c


# ---------------------------------------------------------------------------------- QuickBooks Online
def qbo():
    c = company("quickBooksOnline", "Sandbox QuickBooks Online Inc", stable_uuid("company/qbo"),
                stable_uuid("connection/qbo"), "qhyg", "QuickBooks Online", "USD")
    d = v1_data("QuickBooks Online")
    atob = supplier("77", "AtoB", "USD")
    ankunding = supplier("87", "Ankunding Inc", "GBP")
    billy = supplier("4", "BILLy elliot", "GBP")
    callum = supplier("5", "Callum McGinley", "USD")
    # The synchronous document's supplier examples are QuickBooks-like (ids 41, c523e12f ...).
    sync_suppliers = copy.deepcopy(examples(SYNC, SYNC_BASE + "suppliers")["Suppliers"]["value"]["results"])
    d["suppliers"] = merge(d["suppliers"], sync_suppliers + [atob, ankunding, billy, callum])
    d["bills"] = merge(d["bills"], [
        bill("302", ref(atob), "USD", [("Fuel cards, March", 1200.0, 0.0)], "2023-03-31T00:00:00",
             "2023-04-30T00:00:00", account="7", reference="ATOB-302"),
        bill("303", ref(atob), "USD", [("Fuel cards, April", 1300.0, 0.0)], "2023-04-14T00:00:00",
             "2023-05-14T00:00:00", account="7", reference="ATOB-303"),
        bill("328", ref(ankunding), "GBP", [("Catering", 100.0, 0.0)], "2023-04-02T00:00:00",
             "2023-05-02T00:00:00", account="7", tax="NON", reference="ANK-328"),
    ] + numbered(demo_bills("num", [atob, callum, ankunding], "USD", "GBP", "7", "NON"), 401))
    d["accounts"] = merge(d["accounts"], [
        bank_account("122", "Checking", "USD", nominalCode="1010"),
        bank_account("35", "Sterling Account", "GBP", nominalCode="1020"),
        bank_account("136", "Euro Account", "EUR", nominalCode="1030"),
        bank_account("141", "Visa Business", "USD", account_type="Credit", nominalCode="2010"),
        ledger_account("7", "Office Expenses", "Expense", "USD", nominalCode="6010"),
        ledger_account("33", "Accounts Payable (A/P)", "Liability", "USD", nominalCode="2000"),
    ])
    d["taxRates"] = merge(d["taxRates"], [tax_rate("NON", "Non-taxable", 0)])
    d["billCreditNotes"] = merge(d["billCreditNotes"], [
        credit_note(fixture("seed-002-create-credit-note-qbo.json"), "308")])
    c.update(records=d, companyInfo=company_info(c["company"]["name"], "USD"), pushOptions=options("QuickBooks Online"))
    return c


# ------------------------------------------------------------------------------------ Oracle NetSuite
def netsuite():
    c = company("netSuite", "Sandbox NetSuite Ltd", stable_uuid("company/netsuite"), stable_uuid("connection/netsuite"),
                "akxx", "Oracle NetSuite", "GBP")
    d = v1_data("Oracle NetSuite")
    vaaa = supplier("724", "Vendor A.A.A", "GBP")
    vb = supplier("727", "Vendor -.B", "GBP")
    cheese = supplier("749", "Jo's Cheese", "GBP")
    d["suppliers"] = merge(d["suppliers"], [vaaa, vb, cheese])
    d["bills"] = merge(d["bills"], [
        bill("288274", ref(vb), "GBP", [("Packaging", 40.0, 8.0)], "2023-03-01T00:00:00", "2023-03-31T00:00:00",
             account="714", reference="VB-288274"),
        bill("287594", ref(vb), "GBP", [("Labels", 25.0, 5.0)], "2023-03-02T00:00:00", "2023-04-01T00:00:00",
             account="714", reference="VB-287594"),
        bill("8", ref(vb), "GBP", [("Pallets", 100.0, 20.0)], "2023-03-20T00:00:00", "2023-04-19T00:00:00",
             account="714", reference="VB-8"),
    ] + numbered(demo_bills("num", [vaaa, vb, cheese], "GBP", "USD", "714"), 9001))
    d["accounts"] = merge(d["accounts"], [
        bank_account("854", "Barclays Current", "GBP", nominalCode="1001"),
        bank_account("855", "Barclays USD", "USD", nominalCode="1002"),
        ledger_account("714", "Cost of Goods Sold", "Expense", "GBP", nominalCode="5000"),
    ])
    d["trackingCategories"] = merge(d["trackingCategories"], [
        {"id": "location-5", "parentId": "location", "name": "London warehouse", "hasChildren": False,
         "status": "Active", "modifiedDate": "2023-04-04T16:32:02Z", "sourceModifiedDate": "2022-04-26T05:26:46"}])
    d["billCreditNotes"] = merge(d["billCreditNotes"], [
        credit_note(fixture("seed-002-create-credit-note-netsuite.json"), "462792")])
    c.update(records=d, companyInfo=company_info(c["company"]["name"], "GBP"), pushOptions=options("Oracle NetSuite"))
    return c


# ------------------------------------------------------------------------------------- Sage Intacct
def sage():
    c = company("sageIntacct", "Sandbox Sage Intacct Corp", stable_uuid("company/sage-intacct"),
                stable_uuid("connection/sage-intacct"), "knfz", "Sage Intacct", "USD")
    d = v1_data("Sage Intacct")
    hc = supplier("15", "HC Equipment Repair", "USD")
    adp = supplier("3", "ADP", "USD")
    ww = supplier("8", "Worldwide Commercial", "USD")
    d["suppliers"] = merge(d["suppliers"], [hc, ww])
    d["bills"] = merge(d["bills"], [
        bill("26492", ref(hc), "USD", [("Compressor overhaul", 15000.0, 0.0)], "2023-03-10T00:00:00",
             "2023-04-09T00:00:00", account="197", reference="HC-26492"),
        bill("26493", ref(hc), "USD", [("Forklift repair", 15000.0, 0.0)], "2023-03-11T00:00:00",
             "2023-04-10T00:00:00", account="197", reference="HC-26493"),
        bill("26572", ref(adp), "USD", [("Payroll services", 405.0, 0.0)], "2023-04-01T00:00:00",
             "2023-05-01T00:00:00", account="197", reference="ADP-26572"),
    ] + numbered(demo_bills("num", [hc, adp, ww], "USD", "GBP", "197"), 27001))
    d["accounts"] = merge(d["accounts"], [
        bank_account("84", "Wells Fargo Checking", "USD", nominalCode="1010"),
        bank_account("360", "Wells Fargo Operating", "USD", nominalCode="1020"),
        bank_account("361", "HSBC Sterling", "GBP", nominalCode="1030"),
        ledger_account("197", "Software and Licenses", "Expense", "USD", nominalCode="6200"),
    ])
    # Created in GBP in the guide's create payload, allocated in a USD payment in its allocation
    # payload: seeded in USD so that the guide's allocation is valid.
    d["billCreditNotes"] = merge(d["billCreditNotes"], [
        credit_note(fixture("seed-002-create-credit-note-sage-intacct.json"), "26573", currency="USD")])
    c.update(records=d, companyInfo=company_info(c["company"]["name"], "USD"), pushOptions=options("Sage Intacct"))
    return c


# ----------------------------------------------------------------------------------------------- MYOB
def myob():
    c = company("myob", "Sandbox MYOB Pty Ltd", stable_uuid("company/myob"), stable_uuid("connection/myob"),
                "pdvj", "MYOB AccountRight and Essentials", "AUD")
    d = v1_data("MYOB AccountRight and Essentials")
    bilby = supplier("0749b9a9-4fd1-4d5e-ae5f-7de3887c933a", "Bilby Office Supplies", "AUD")
    metro = supplier("5c0664ca-6eb1-4085-9da4-37ef748bc65e", "Metropolitan Electricity", "AUD")
    kiwi = supplier(stable_uuid("myob/supplier/kiwi"), "Kiwi Freight Ltd", "NZD")
    d["suppliers"] = merge(d["suppliers"], [bilby, metro, kiwi])
    expense = "f04d046b-0137-4d95-8af7-ed9fef1a4ba3"
    d["bills"] = merge(d["bills"], [
        bill("cd5029ae-5548-4bd0-ae9e-bb572d40349d", ref(bilby), "AUD", [("Pens", 4.55, 0.45)],
             "2023-04-03T00:00:00", "2023-05-03T00:00:00", account=expense, reference="BOS-001"),
        bill("edaff6be-43c2-4f1d-9511-11605ae310f0", ref(bilby), "AUD", [("Printer paper", 90.91, 9.09)],
             "2023-04-04T00:00:00", "2023-05-04T00:00:00", account=expense, reference="BOS-002"),
    ] + demo_bills("myob", [bilby, metro, kiwi], "AUD", "NZD", expense,
                   "ff083e95-de4e-4c56-87dd-32ad9cdac172"))
    d["accounts"] = merge(d["accounts"], [
        bank_account("161904cc-c2be-4cd7-afbd-ccd304473216", "Cheque Account", "AUD", nominalCode="1-1110"),
        bank_account(stable_uuid("myob/bank/nzd"), "NZD Account", "NZD", nominalCode="1-1120"),
        ledger_account(expense, "Electricity", "Expense", "AUD", nominalCode="6-1100"),
    ])
    d["taxRates"] = merge(d["taxRates"], [tax_rate("ff083e95-de4e-4c56-87dd-32ad9cdac172", "Capital Acquisitions", 10, "CAP")])
    d["billCreditNotes"] = merge(d["billCreditNotes"], [
        credit_note(fixture("seed-002-create-credit-note-myob.json"), stable_uuid("myob/credit-note/1"))])
    c.update(records=d, companyInfo=company_info(c["company"]["name"], "AUD"),
             pushOptions=options("MYOB AccountRight and Essentials"))
    return c


def normalise(c):
    """Bank accounts from the v1 examples lack the synchronous document's bank fields."""
    for a in c["records"]["accounts"]:
        if a.get("isBankAccount"):
            a.setdefault("accountType", "Credit" if a.get("type") == "Liability" else "Debit")
            a.setdefault("accountName", a.get("name"))
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    companies = [normalise(c) for c in [xero(), qbo(), netsuite(), sage(), myob()]]
    index = []
    for c in companies:
        name = c["integration"] + ".json"
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(c, f, indent=1, ensure_ascii=False)
            f.write("\n")
        index.append(name)
        counts = {k: len(v) for k, v in c["records"].items()}
        print(name, counts)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
