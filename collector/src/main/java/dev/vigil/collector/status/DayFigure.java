package dev.vigil.collector.status;

import java.util.OptionalDouble;

/**
 * One UTC day of a service on the status page: how long it was measured, down and in maintenance.
 *
 * @param dayStartMillis    the day's start, epoch milliseconds (UTC midnight)
 * @param measuredMillis    time with data outside maintenance, up to now for today: the denominator
 * @param downMillis        DOWN time outside maintenance, within {@code measuredMillis}
 * @param maintenanceMillis maintenance time of the service within the day (up to now)
 */
record DayFigure(long dayStartMillis, long measuredMillis, long downMillis, long maintenanceMillis) {
    /** Availability from this fraction up is shown green; below it amber down to {@link #RED_BELOW}. */
    static final double GREEN_FROM = 1.0;
    /** Availability below this fraction is shown red: a quarter of an hour down in a day is 98.96 %. */
    static final double RED_BELOW = 0.99;

    /** Validates. */
    DayFigure {
        if (measuredMillis < 0 || downMillis < 0 || maintenanceMillis < 0 || downMillis > measuredMillis) {
            throw new IllegalArgumentException("need 0 <= down <= measured and maintenance >= 0 (were " + downMillis
                    + ", " + measuredMillis + ", " + maintenanceMillis + ")");
        }
    }

    /** 1 − down / measured; empty when nothing was measured. */
    OptionalDouble availability() {
        return measuredMillis == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(1.0 - (double) downMillis / measuredMillis);
    }

    /** How the day's bar is drawn. */
    Bar bar() {
        if (measuredMillis == 0) {
            return maintenanceMillis > 0 ? Bar.MAINTENANCE : Bar.NO_DATA;
        }
        double availability = availability().getAsDouble();
        if (availability >= GREEN_FROM) {
            return Bar.UP;
        }
        return availability >= RED_BELOW ? Bar.DEGRADED : Bar.DOWN;
    }

    /** The colour class of a day's bar. */
    enum Bar {
        /** No downtime. */
        UP("up", "#2da44e"),
        /** Some downtime, availability at least 99 %. */
        DEGRADED("degraded", "#d4a72c"),
        /** Availability below 99 %. */
        DOWN("down", "#cf222e"),
        /** Nothing measured and no maintenance: no data. */
        NO_DATA("nodata", "#c9ccd1"),
        /** Nothing measured outside maintenance. */
        MAINTENANCE("maintenance", "#3b82f6");

        private final String cssClass;
        private final String colour;

        Bar(String cssClass, String colour) {
            this.cssClass = cssClass;
            this.colour = colour;
        }

        /** The CSS class of the bar. */
        String cssClass() {
            return cssClass;
        }

        /** Its fill colour, {@code #rrggbb}. */
        String colour() {
            return colour;
        }
    }
}
