// Integration tests talk only to loopback; silence the SDK's Node 20 deprecation notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
