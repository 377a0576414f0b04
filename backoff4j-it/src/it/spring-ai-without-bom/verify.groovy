// The build failed (invoker.properties); it must have failed in the test, at build(), with the bridge's
// version error naming both versions and the BOM (not a NoClassDefFoundError at the first call), and
// not for an unrelated reason such as a compile error or a missing artifact.
def reports = new File(basedir, 'target/surefire-reports')
assert reports.isDirectory() : "no surefire reports: the consumer failed before its test ran; see build.log"
def text = reports.listFiles().findAll { it.name.endsWith('.txt') }.collect { it.text }.join('\n')
// The test's own failure: the first exception surefire reports after "<<< ERROR!".
// (Surefire puts a message of several lines on the line after the exception's name.)
def type = 'dev.backoff4j.openai.sdk.UnsupportedSdkVersionException'
def message = 'openai-java-core 4.49.0 and openai-java-client-okhttp 4.101.0 are on the class path'
assert text =~ /<<< ERROR!\R\Q${type}\E:\s*\Q${message}\E/ :
    "the consumer's test did not fail with ${type}: ${message}:\n${text}"
['Fix: import backoff4j\'s BOM, dev.backoff4j:backoff4j-bom:', 'at dev.backoff4j.openai.sdk.Backoff4jOpenAI$Builder.build('].each {
  assert text.contains(it) : "the consumer's failure does not contain ${it}:\n${text}"
}
return true
