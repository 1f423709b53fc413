/**
 * Sotto's pure-Java Signal Protocol: PQXDH session setup and the Double Ratchet, wire-compatible
 * with libsignal.
 */
package org.sotto.protocol;
