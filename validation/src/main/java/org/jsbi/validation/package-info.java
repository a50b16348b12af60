/**
 * C2ST, simulation-based calibration and the reference-posterior harness over {@code ../shared/reference}. They
 * arrive with the NPE issue; this module exists now so that the build is laid out as DESIGN.md lays it out.
 */
package org.jsbi.validation;
