/**
 * A local NemoVideo backend for tests, demos and development: {@link dev.nemobot.simulator.NemoSimulator} with its
 * {@link dev.nemobot.simulator.SimulatorConfig} and {@link dev.nemobot.simulator.Faults}. Everything else in the
 * package is implementation.
 */
package dev.nemobot.simulator;
