package org.sotto.client;

/**
 * One device of this account as {@link SottoClient#devices()} lists it. Immutable.
 *
 * @param id the device id within the account
 * @param name the device's name, or null when unknown (only this device's own name is known)
 * @param thisDevice whether it is the device this client runs on
 */
public record LinkedDevice(int id, String name, boolean thisDevice) {}
