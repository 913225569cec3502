package io.eventstreamer.core.internal.auth;

import java.time.Instant;
import java.util.Set;

/** Who a verified token speaks for, what it may subscribe to, and until when. */
public final class Principal {
    private final String subject;
    private final Set<String> categories;
    private final boolean allCategories;
    private final Instant expiresAt;

    Principal(String subject, Set<String> categories, boolean allCategories, Instant expiresAt) {
        this.subject = subject;
        this.categories = categories;
        this.allCategories = allCategories;
        this.expiresAt = expiresAt;
    }

    /** The token's "sub", or null. */
    public String subject() {
        return subject;
    }

    public boolean mayRead(String category) {
        return allCategories || categories.contains(category);
    }

    /** The token's "exp", or null when it doesn't expire. */
    public Instant expiresAt() {
        return expiresAt;
    }
}
