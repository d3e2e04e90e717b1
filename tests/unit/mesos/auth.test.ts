import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/core/config/config.ts";
import { basicAuthorization, createAuthenticator } from "../../../src/core/mesos/auth.ts";
import type { HttpRequestOptions, HttpResponseData } from "../../../src/core/platform.ts";

const noHttp = {
  httpRequest: () => Promise.reject(new Error("no network in this test")),
  readTextFile: () => Promise.reject(new Error("no files in this test")),
};

describe("basicAuthorization()", () => {
  test("encodes principal:secret as UTF-8 base64", () => {
    expect(basicAuthorization("user", "pass")).toBe("Basic dXNlcjpwYXNz");
    expect(basicAuthorization("ü", "")).toBe(`Basic ${Buffer.from("ü:").toString("base64")}`);
  });
});

describe("createAuthenticator() (docs/spec.md §3.5)", () => {
  test("sends no header without mesosAuthentication", async () => {
    const auth = createAuthenticator({ platform: noHttp, config: defaultConfig() });
    expect(await auth.header()).toEqual({ ok: true, value: undefined });
    expect(auth.rejected()).toBe(false);
  });

  test("basic sends the credentials and cannot do better after a 401", async () => {
    const config = {
      ...defaultConfig(),
      MesosAuthentication: "basic",
      MesosCredentials: { Principal: "p", Secret: "s" },
    };
    const auth = createAuthenticator({ platform: noHttp, config });
    expect(await auth.header()).toEqual({ ok: true, value: basicAuthorization("p", "s") });
    expect(auth.rejected()).toBe(false);
  });

  test("iam reads the IAM file once and sends token=<t>; a 401 asks for a fresh login", async () => {
    const pair = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        hash: "SHA-256",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
      },
      true,
      ["sign", "verify"],
    );
    const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64");
    const iamFile = JSON.stringify({
      uid: "svc",
      private_key: `-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----`,
      login_endpoint: "http://127.0.0.1:1/login",
    });
    let reads = 0;
    let logins = 0;
    const platform = {
      readTextFile: async () => {
        reads++;
        return iamFile;
      },
      httpRequest: async (url: string, _o: HttpRequestOptions): Promise<HttpResponseData> => ({
        status: 200,
        url,
        headers: new Headers(),
        body: new TextEncoder().encode(JSON.stringify({ token: `t${++logins}` })),
      }),
    };
    const config = { ...defaultConfig(), MesosAuthentication: "iam", IAMConfigFile: "/etc/iam.json" };
    const auth = createAuthenticator({ platform, config });
    expect(await auth.header()).toEqual({ ok: true, value: "token=t1" });
    expect(await auth.header()).toEqual({ ok: true, value: "token=t1" });
    expect(auth.rejected()).toBe(true);
    expect(await auth.header()).toEqual({ ok: true, value: "token=t2" });
    expect(reads).toBe(1);
  });

  test("iam with an unreadable IAM file is an error naming the file", async () => {
    const config = { ...defaultConfig(), MesosAuthentication: "iam", IAMConfigFile: "/etc/iam.json" };
    const result = await createAuthenticator({ platform: noHttp, config }).header();
    expect(result).toEqual({
      ok: false,
      error: 'Cannot read IAM config "/etc/iam.json": no files in this test',
    });
  });
});
