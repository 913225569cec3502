package io.eventstreamer.examples.billing;

import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventEmitter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Publishes {@value BillingSource#CATEGORY} events from typed arguments, so that a JVM service
 * never writes payloads by hand.
 *
 * <p>Each method builds the payload of one event type of {@link BillingCatalog}, publishes it and
 * returns the id the host assigned. Like {@link EventEmitter#emit}, no method waits on a client,
 * and all are safe to call from any thread.
 *
 * <pre>{@code
 * BillingEvents billing = new BillingEvents(host.emitter(BillingSource.CATEGORY));
 * billing.invoicePaid("inv-1042", "cus-77", 129_00, "EUR", Instant.now());
 * billing.invoiceOverdue("inv-1043", "cus-78", 45_50, "EUR", LocalDate.of(2026, 11, 1), 24);
 * }</pre>
 */
public final class BillingEvents {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final EventEmitter emitter;

    /**
     * @param emitter the emitter of the {@value BillingSource#CATEGORY} category
     * @throws IllegalArgumentException when the emitter publishes to another category
     */
    public BillingEvents(EventEmitter emitter) {
        this.emitter = requireNonNull(emitter, "emitter is null");
        if (!BillingSource.CATEGORY.equals(emitter.category())) {
            throw new IllegalArgumentException(String.format("emitter publishes to category '%s', not '%s'",
                    emitter.category(), BillingSource.CATEGORY));
        }
    }

    /**
     * Publishes {@code invoice-paid} without a payment method.
     *
     * @return the event id
     */
    public String invoicePaid(String invoiceId, String customerId, long amountCents, String currency, Instant paidAt) {
        return invoicePaid(invoiceId, customerId, amountCents, currency, paidAt, null);
    }

    /**
     * Publishes {@code invoice-paid}.
     *
     * @param amountCents amount paid in the currency's minor unit; at least 0
     * @param currency ISO 4217 code, three upper-case letters
     * @param paymentMethod optional (may be null): e.g. {@code "card"}
     * @return the event id
     */
    public String invoicePaid(String invoiceId, String customerId, long amountCents, String currency, Instant paidAt,
            String paymentMethod) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("invoiceId", requireNonNull(invoiceId, "invoiceId is null"));
        payload.put("customerId", requireNonNull(customerId, "customerId is null"));
        payload.put("amountCents", atLeast(0, amountCents, "amountCents"));
        payload.put("currency", currency(currency));
        payload.put("paidAt", TIMESTAMP.format(requireNonNull(paidAt, "paidAt is null")));
        if (paymentMethod != null) {
            payload.put("paymentMethod", paymentMethod);
        }
        return emitter.emit(BillingCatalog.INVOICE_PAID, payload);
    }

    /**
     * Publishes {@code invoice-overdue}.
     *
     * @param amountDueCents amount still due in the currency's minor unit; at least 1
     * @param currency ISO 4217 code, three upper-case letters
     * @param daysOverdue whole days since {@code dueDate}; at least 1
     * @return the event id
     */
    public String invoiceOverdue(String invoiceId, String customerId, long amountDueCents, String currency,
            LocalDate dueDate, int daysOverdue) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("invoiceId", requireNonNull(invoiceId, "invoiceId is null"));
        payload.put("customerId", requireNonNull(customerId, "customerId is null"));
        payload.put("amountDueCents", atLeast(1, amountDueCents, "amountDueCents"));
        payload.put("currency", currency(currency));
        payload.put("dueDate", requireNonNull(dueDate, "dueDate is null").toString());
        payload.put("daysOverdue", atLeast(1, daysOverdue, "daysOverdue"));
        return emitter.emit(BillingCatalog.INVOICE_OVERDUE, payload);
    }

    private static String currency(String code) {
        requireNonNull(code, "currency is null");
        if (!CURRENCY.matcher(code).matches()) {
            throw new IllegalArgumentException(String.format(
                    "currency must be an ISO 4217 code of three upper-case letters but was '%s'", code));
        }
        return code;
    }

    private static long atLeast(long min, long value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(String.format("%s must be >= %d but was %d", name, min, value));
        }
        return value;
    }
}
