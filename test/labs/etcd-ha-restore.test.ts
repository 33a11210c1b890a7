import { proveLab } from './proof'

proveLab('etcd-ha-restore')
