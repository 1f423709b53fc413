/**
 * Sender-key groups, wire-compatible with libsignal: each member distributes its own sender key for
 * a group ({@link org.sotto.protocol.message.SenderKeyDistributionMessage}, sent over 1:1 sessions)
 * and then encrypts every group message once ({@link org.sotto.protocol.message.SenderKeyMessage},
 * signed with its signing key).
 *
 * <p>{@link org.sotto.protocol.groups.GroupSessionBuilder} creates and processes distribution
 * messages, {@link org.sotto.protocol.groups.GroupCipher} encrypts and decrypts; both keep their
 * state in a {@link org.sotto.protocol.groups.SenderKeyStore} as {@link
 * org.sotto.protocol.groups.SenderKeyRecord}s, one per (sender, distribution id). A failed decrypt
 * never changes the stored record. Removing a member means rotating: the remaining senders start a
 * new chain (or use a new distribution id) and send its distribution message only to the remaining
 * members.
 */
package org.sotto.protocol.groups;
