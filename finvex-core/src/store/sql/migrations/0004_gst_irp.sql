-- What the IRP acknowledged for an e-invoice (IrpRecord as JSON); NULL until submitted.
ALTER TABLE gst_invoices ADD COLUMN irp TEXT;
