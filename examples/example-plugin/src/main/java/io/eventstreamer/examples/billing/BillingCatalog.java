package io.eventstreamer.examples.billing;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.JsonType;

/**
 * The event types of the {@value BillingSource#CATEGORY} category and their payloads.
 *
 * <p>An invoice, named by {@code invoiceId}, is announced by {@value #INVOICE_OVERDUE} for as long
 * as it stays unpaid after its due date (typically once a day), and by {@value #INVOICE_PAID} once
 * it is paid. Amounts are whole numbers in the currency's minor unit (cents), never floating point.
 */
public final class BillingCatalog {
    /** An invoice was paid. */
    public static final String INVOICE_PAID = "invoice-paid";
    /** An invoice is past its due date and still unpaid. */
    public static final String INVOICE_OVERDUE = "invoice-overdue";

    private static final String INVOICE_ID = "Id of the invoice, the same in every event about it.";
    private static final String CUSTOMER_ID = "Id of the billed customer.";
    private static final String CURRENCY = "ISO 4217 code of the invoice's currency, e.g. \"EUR\".";

    private static final EventCatalog CATALOG = EventCatalog.builder(BillingSource.CATEGORY)
            .add(invoicePaid())
            .add(invoiceOverdue())
            .build();

    private BillingCatalog() {
    }

    /** The catalog of the {@value BillingSource#CATEGORY} category. */
    public static EventCatalog catalog() {
        return CATALOG;
    }

    private static EventType invoicePaid() {
        return EventType.builder(INVOICE_PAID, "An invoice was paid in full.")
                .required("invoiceId", JsonType.STRING, INVOICE_ID)
                .required("customerId", JsonType.STRING, CUSTOMER_ID)
                .required("amountCents", JsonType.INTEGER, "Amount paid, in the currency's minor unit (cents).")
                .required("currency", JsonType.STRING, CURRENCY)
                .requiredTimestamp("paidAt", "When the payment was received (ISO-8601 UTC).")
                .optional("paymentMethod", JsonType.STRING, "How it was paid, e.g. \"card\" or \"bank-transfer\".")
                .build();
    }

    private static EventType invoiceOverdue() {
        return EventType.builder(INVOICE_OVERDUE, "An invoice is past its due date and still unpaid. "
                        + "Published again (e.g. daily) while it stays unpaid, with the days counted up.")
                .required("invoiceId", JsonType.STRING, INVOICE_ID)
                .required("customerId", JsonType.STRING, CUSTOMER_ID)
                .required("amountDueCents", JsonType.INTEGER, "Amount still due, in the currency's minor unit (cents).")
                .required("currency", JsonType.STRING, CURRENCY)
                .field(FieldSpec.required("dueDate", JsonType.STRING, "The day the invoice was due (ISO-8601 date).")
                        .withFormat("date"))
                .required("daysOverdue", JsonType.INTEGER, "Whole days since the due date; at least 1.")
                // A client that lags behind only needs the newest reminder about each invoice.
                .coalesceKey("invoiceId")
                .build();
    }
}
