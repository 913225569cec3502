package io.eventstreamer.core.internal.broker;

/** The shared log (Redis) can't be reached: nothing was published; the caller may retry later. */
public final class BrokerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
