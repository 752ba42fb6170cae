"""The base every layer speaks: errors, settings, result records, Vietnamese text.

It imports nothing else of the project (``.importlinter`` holds it to that), so storage,
classifiers and the OCR engine can share one vocabulary without importing the service
package above them.
"""
