package dev.vigil.collector.status;

import dev.vigil.collector.sla.TimelineState;

/** A service's state as the status page and the status badge name it. */
enum PageState {
    /** Its checks say it is up. */
    UP("up", "Operational", "#2da44e"),
    /** Its checks say it is down. */
    DOWN("down", "Outage", "#cf222e"),
    /** Its agents have gone silent. */
    NO_DATA("no data", "No data", "#9f9f9f"),
    /** None of its checks has reported yet. */
    UNKNOWN("unknown", "Unknown", "#9f9f9f"),
    /** A maintenance window applying to it is running, whatever its checks say. */
    MAINTENANCE("maintenance", "Maintenance", "#3b82f6");

    private final String label;
    private final String text;
    private final String colour;

    PageState(String label, String text, String colour) {
        this.label = label;
        this.text = text;
        this.colour = colour;
    }

    /** The short form: the badge's value and the page's CSS class ({@code no data} becomes {@code nodata}). */
    String label() {
        return label;
    }

    /** What the page writes. */
    String text() {
        return text;
    }

    /** The badge colour, {@code #rrggbb}. */
    String colour() {
        return colour;
    }

    /** The CSS class. */
    String cssClass() {
        return label.replace(" ", "");
    }

    /** The page's state for a service whose timeline state is {@code state}. */
    static PageState of(TimelineState state, boolean inMaintenance) {
        if (inMaintenance) {
            return MAINTENANCE;
        }
        return switch (state) {
            case UP -> UP;
            case DOWN -> DOWN;
            case NO_DATA -> NO_DATA;
            case UNKNOWN -> UNKNOWN;
        };
    }
}
