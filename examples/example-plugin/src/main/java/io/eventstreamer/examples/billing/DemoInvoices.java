package io.eventstreamer.examples.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Made-up invoices for the demonstration mode: each call publishes the next event, an
 * {@code invoice-paid} and an {@code invoice-overdue} in turn.
 */
final class DemoInvoices {
    private static final System.Logger LOG = System.getLogger(DemoInvoices.class.getName());

    private final BillingEvents events;
    private long next = 1000;

    DemoInvoices(BillingEvents events) {
        this.events = events;
    }

    /** Publishes one event. Never throws: a scheduled task that throws is never run again. */
    void publishNext() {
        long number = next++;
        String invoiceId = "demo-inv-" + number;
        String customerId = "demo-cus-" + (number % 7);
        try {
            if (number % 2 == 0) {
                events.invoicePaid(invoiceId, customerId, 1_000 + (number % 50) * 100, "EUR", Instant.now(), "card");
            } else {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                int daysOverdue = 1 + (int) (number % 30);
                events.invoiceOverdue(invoiceId, customerId, 4_550, "EUR", today.minusDays(daysOverdue), daysOverdue);
            }
        } catch (RuntimeException e) {
            // E.g. the host is stopping (IllegalStateException): skip this one.
            LOG.log(System.Logger.Level.DEBUG, "demo billing event not published: {0}", e.toString());
        }
    }
}
