import './styles.css';
import { startPage } from './app';

startPage();
