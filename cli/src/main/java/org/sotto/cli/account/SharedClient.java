package org.sotto.cli.account;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import org.sotto.client.SottoClient;

/**
 * A view of an open {@link SottoClient} whose {@code close()} does nothing, and whose receiving
 * cannot be started or stopped, so that verbs run inside the daemon use the daemon's client without
 * ending it or taking over its message stream. Every other method goes to the client as is; a
 * dynamic proxy, so methods added to {@link SottoClient} later are passed on without change here.
 */
final class SharedClient implements InvocationHandler {
  private final SottoClient client;

  private SharedClient(SottoClient client) {
    this.client = client;
  }

  /** A view of {@code client} that cannot close it. */
  static SottoClient of(SottoClient client) {
    Objects.requireNonNull(client, "client");
    return (SottoClient)
        Proxy.newProxyInstance(
            SottoClient.class.getClassLoader(),
            new Class<?>[] {SottoClient.class},
            new SharedClient(client));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "close" -> {
        if (method.getParameterCount() == 0) {
          return null;
        }
      }
      case "startReceiving", "stopReceiving", "receiveUntilQueueEmpty" ->
          throw new UnsupportedOperationException(
              "the daemon receives messages itself; read its event stream instead");
      case "toString" -> {
        if (method.getParameterCount() == 0) {
          return "SharedClient[" + client + "]";
        }
      }
      default -> {}
    }
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> method.invoke(this, args);
      };
    }
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
