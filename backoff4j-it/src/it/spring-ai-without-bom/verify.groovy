// The build failed (invoker.properties); it must have failed in the test, with the error the BOM
// prevents, not for an unrelated reason such as a compile error or a missing artifact.
def reports = new File(basedir, 'target/surefire-reports')
assert reports.isDirectory() : "no surefire reports: the consumer failed before its test ran; see build.log"
def text = reports.listFiles().findAll { it.name.endsWith('.txt') }.collect { it.text }.join('\n')
def expected = 'java.lang.NoClassDefFoundError: com/openai/core/http/WebSocketClient'
assert text.contains(expected) : "the consumer's test did not fail with ${expected}:\n${text}"
return true
