/**
 * The Sotto client SDK: {@link org.sotto.client.SottoClient} registers a local account, sends and
 * receives end-to-end encrypted messages through a Sotto server and keeps keys and history in the
 * encrypted local store ({@link org.sotto.client.storage}). Everything in {@code
 * org.sotto.client.internal} is implementation and may change without notice.
 */
package org.sotto.client;
