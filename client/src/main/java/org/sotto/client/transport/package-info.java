/**
 * The client's transport to a Sotto server: {@link org.sotto.client.transport.ServerApi} for the
 * JSON/HTTP API, {@link org.sotto.client.transport.DeliveryConnection} for the authenticated
 * delivery WebSocket and {@link org.sotto.client.transport.ProvisioningConnection} for a new device
 * waiting to be linked. It moves ciphertext and public keys only (the SDK above owns every key);
 * failures are the sealed {@link org.sotto.client.transport.TransportException} family, whose
 * messages never carry secrets or user data.
 */
package org.sotto.client.transport;
