/**
 * Implementation of the SDK: registration, sending with device-list repair, receiving with
 * de-duplication and one-commit storage, prekey upkeep, trust. Not a public API.
 */
package org.sotto.client.internal;
