import BillPay
