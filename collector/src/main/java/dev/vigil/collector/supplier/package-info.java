/**
 * Suppliers: which part of the provider's downtime came from the cloud, DNS, CDN or payment provider its
 * services depend on, and whether each supplier met its own contractual availability.
 *
 * <p>A supplier is DOWN while any of the catalogue services that measure it ({@code measured_by}) is DOWN.
 * A provider service's SLA downtime (exactly what the SLA engine counts) is split: the part during which
 * one of the service's suppliers was DOWN goes to that supplier, to the first in the service's
 * {@code suppliers:} order when several were down at once, and the rest to the provider. The parts add up
 * to the service's downtime exactly, in milliseconds. {@link dev.vigil.collector.supplier.SupplierAttribution}
 * computes this without Vert.x; {@link dev.vigil.collector.supplier.SupplierRoutes} serves it and
 * {@link dev.vigil.collector.supplier.SupplierMetrics} keeps the current month's figures for
 * {@code /metrics}. See {@code docs/suppliers.md}.
 */
package dev.vigil.collector.supplier;
