package io.eventstreamer.core.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.JsonType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The TypeScript declarations generated from catalogs: the names the JS client relies on, and valid syntax for any catalog. */
class TypeScriptDeclarationsTest {
    private static final EventCatalog SCHEDULER = EventCatalog.builder("scheduler")
            .add(EventType.builder("schedule-executed", "A schedule fired")
                    .required("scheduleId", JsonType.STRING, "Id of the schedule")
                    .requiredTimestamp("startedAt", "When the run started")
                    .optional("attempt", JsonType.INTEGER, "")
                    .build())
            .add(EventType.builder("schedule-deleted", "A schedule was deleted")
                    .required("scheduleId", JsonType.STRING, "Id of the schedule")
                    .optional("labels", JsonType.OBJECT, "Labels")
                    .optional("targets", JsonType.ARRAY, "Targets")
                    .optional("ratio", JsonType.NUMBER, "Ratio")
                    .optional("forced", JsonType.BOOLEAN, "Whether it was forced")
                    .build())
            .build();
    private static final EventCatalog DLQ = EventCatalog.builder("dlq")
            .add(EventType.builder("entry-added", "An entry was added").build())
            .build();

    @Test
    @DisplayName("an interface per event type, a union per category, Category, EventStreamerEvent and EventStreamerEventMap")
    void declarations() {
        String ts = TypeScriptDeclarations.render(List.of(SCHEDULER, DLQ));

        assertThat(ts).contains(String.join("\n",
                "/** The categories of the server's sources. */",
                "export type Category = 'scheduler' | 'dlq';",
                "",
                "/** A schedule fired */",
                "export interface SchedulerScheduleExecutedEvent {",
                "  type: 'event';",
                "  category: 'scheduler';",
                "  event: 'schedule-executed';",
                "  /** " + EnvelopeField.ID.description() + " */",
                "  id: string;",
                "  /** " + EnvelopeField.TIMESTAMP.description() + " */",
                "  timestamp: string;",
                "  /** " + EnvelopeField.CLIENT_ID.description() + " */",
                "  clientId: string;",
                "  /** " + EnvelopeField.DATA.description() + " */",
                "  data: {",
                "    /** Id of the schedule */",
                "    scheduleId: string;",
                "    /**",
                "     * When the run started",
                "     * @format date-time",
                "     */",
                "    startedAt: string;",
                "    attempt?: number | null;",
                "  };",
                "}",
                ""));
        assertThat(ts).contains(String.join("\n",
                "    /** Labels */",
                "    labels?: Record<string, unknown> | null;",
                "    /** Targets */",
                "    targets?: unknown[] | null;",
                "    /** Ratio */",
                "    ratio?: number | null;",
                "    /** Whether it was forced */",
                "    forced?: boolean | null;",
                ""));
        assertThat(ts).contains(String.join("\n",
                "/** Every event type of category 'scheduler'. */",
                "export type SchedulerEvent =",
                "  | SchedulerScheduleExecutedEvent",
                "  | SchedulerScheduleDeletedEvent;",
                ""));
        assertThat(ts).contains("export interface DlqEntryAddedEvent {", "  data: {};\n",
                "export type DlqEvent =\n  | DlqEntryAddedEvent;\n");
        assertThat(ts).endsWith(String.join("\n",
                "/** Every event of every category. */",
                "export type EventStreamerEvent =",
                "  | SchedulerEvent",
                "  | DlqEvent;",
                "",
                "/** The event types by key: a category, or '<category>:<event type>'. */",
                "export interface EventStreamerEventMap {",
                "  'scheduler': SchedulerEvent;",
                "  'scheduler:schedule-executed': SchedulerScheduleExecutedEvent;",
                "  'scheduler:schedule-deleted': SchedulerScheduleDeletedEvent;",
                "  'dlq': DlqEvent;",
                "  'dlq:entry-added': DlqEntryAddedEvent;",
                "}",
                ""));
    }

    @Test
    @DisplayName("field names that are not identifiers are quoted, in ASCII; a description can't close its comment")
    void awkwardFieldNamesAndDescriptions() {
        EventCatalog catalog = EventCatalog.builder("x")
                .add(EventType.builder("y", "Ends */ early\nsecond line")
                        .field(FieldSpec.required("a b", JsonType.STRING, "*/ not the end"))
                        .field(FieldSpec.required("it's", JsonType.STRING, ""))
                        .field(FieldSpec.required("back\\slash", JsonType.STRING, ""))
                        .field(FieldSpec.required("größe", JsonType.STRING, ""))
                        .field(FieldSpec.required("line\nbreak", JsonType.STRING, ""))
                        .field(FieldSpec.required("9lives", JsonType.STRING, ""))
                        .field(FieldSpec.required("$ok_1", JsonType.STRING, ""))
                        .field(FieldSpec.required("default", JsonType.STRING, ""))
                        .build())
                .build();

        String ts = TypeScriptDeclarations.render(List.of(catalog));

        assertThat(ts).contains("/**\n * Ends *\\/ early\n * second line\n */\nexport interface XYEvent {",
                "    /** *\\/ not the end */\n    'a b': string;",
                "    'it\\'s': string;", "    'back\\\\slash': string;", "    'gr\\u00f6\\u00dfe': string;",
                "    'line\\u000abreak': string;", "    '9lives': string;", "    $ok_1: string;", "    default: string;");
        assertThat(ts.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f))).as("ASCII only").isTrue();
    }

    @Test
    @DisplayName("names: PascalCase from kebab-case; a leading digit gets '_'; a name taken already gets _2")
    void names() {
        EventCatalog ab = EventCatalog.builder("a-b").add(EventType.builder("c", "").build()).build();
        EventCatalog a = EventCatalog.builder("a").add(EventType.builder("b-c", "").build())
                .add(EventType.builder("b", "").build()).build();
        EventCatalog digits = EventCatalog.builder("3d-printer").add(EventType.builder("job-2-done", "").build()).build();
        EventCatalog reserved = EventCatalog.builder("event-streamer").add(EventType.builder("map", "").build()).build();

        String ts = TypeScriptDeclarations.render(List.of(ab, a, digits, reserved));

        assertThat(TypeScriptDeclarations.pascalCase("schedule-executed")).isEqualTo("ScheduleExecuted");
        assertThat(ts).contains("export type ABEvent =\n  | ABCEvent;",
                "export type AEvent =\n  | ABCEvent_2\n  | ABEvent_2;",
                "export interface _3dPrinterJob2DoneEvent {", "export type _3dPrinterEvent =",
                "export type EventStreamerEvent_2 =\n  | EventStreamerMapEvent;",
                "export type EventStreamerEvent =\n  | ABEvent\n  | AEvent\n  | _3dPrinterEvent\n  | EventStreamerEvent_2;",
                "  'a:b-c': ABCEvent_2;", "  'a:b': ABEvent_2;", "  'event-streamer': EventStreamerEvent_2;");
    }

    @Test
    @DisplayName("without any catalog the unions are never and the map is empty")
    void noCatalogs() {
        String ts = TypeScriptDeclarations.render(List.of());

        assertThat(ts).contains("export type Category = never;", "export type EventStreamerEvent = never;",
                "export interface EventStreamerEventMap {\n}\n");
    }
}
