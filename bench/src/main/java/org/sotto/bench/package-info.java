package org.sotto.bench;
