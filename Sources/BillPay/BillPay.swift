/// The Bill Pay workflows of Codat's guides over `CodatSyncPayables` and `CodatSyncPayablesV1`.
import CodatSyncPayables
