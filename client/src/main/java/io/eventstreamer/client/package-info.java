/**
 * The event-streamer Java client: {@link io.eventstreamer.client.EventStreamClient} connects to an
 * event-streamer server, subscribes to categories, reconnects when the connection is lost and
 * resumes where it left off. Everything in {@code io.eventstreamer.client.internal} is
 * implementation and may change without notice.
 */
package io.eventstreamer.client;
